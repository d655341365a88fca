import { runPushBench } from "./lib/push-bench.js";

await runPushBench("safe");
