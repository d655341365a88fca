import { runHandlerBench } from "./lib/handler-bench.js";

await runHandlerBench("plain");
