/**
 * platform-startup: wall time from spawning `mpstack start` on an existing data folder until
 * `/_mpstack/health` answers, for the bundled CLI (what `npm start` and the `mpstack` bin run),
 * vs the unbundled `dist/cli.js` (the peer: the same code loaded file by file), vs `node -e` that
 * only starts Node and opens an HTTP port (the ceiling). Needs `npm run build` first.
 * Target (issue: platform core): ready in under 1 s.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bundled = join(root, "packages/platform/dist/mpstack.mjs");
const unbundled = join(root, "packages/platform/dist/cli.js");
if (!existsSync(bundled) || !existsSync(unbundled)) {
  console.error("platform-startup: run `npm run build` first");
  process.exit(2);
}
const ROUNDS = 5;
const data = mkdtempSync(join(tmpdir(), "mpstack-startup-"));

/** Spawn `args`, wait for a URL on stdout, then for its health answer; ms from spawn to ready. */
async function readyMs(args: string[], healthPath: string): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 20 s from ${args.join(" ")}`)), 20_000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.on("exit", () => reject(new Error(`exited early: ${out}`)));
  });
  for (;;) {
    const ok = await fetch(`${url}${healthPath}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const ms = performance.now() - t0;
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const start = (cli: string) => [cli, "start", "--port", "0", "--data", data, "--quiet"];
const bare = [
  "-e",
  "const s=require('node:http').createServer((q,r)=>r.end('ok')).listen(0,'127.0.0.1',()=>console.log('http://127.0.0.1:'+s.address().port))",
];

await readyMs(start(bundled), "/_mpstack/health"); // first start seeds the data folder
const ours: number[] = [];
const peer: number[] = [];
const ceiling: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  ours.push(await readyMs(start(bundled), "/_mpstack/health"));
  peer.push(await readyMs(start(unbundled), "/_mpstack/health"));
  ceiling.push(await readyMs(bare, "/"));
}
rmSync(data, { recursive: true, force: true });
const [o, p, c] = [median(ours), median(peer), median(ceiling)].map(Math.round) as [number, number, number];
console.log(`bundled CLI ${o} ms · unbundled ${p} ms · bare node ${c} ms (medians of ${ROUNDS})`);
console.log(
  JSON.stringify({
    bench: "platform-startup",
    unit: "ms",
    ours: o,
    peer: p,
    ceiling: c,
    vs_peer: Math.round((p / o) * 100) / 100,
    vs_ceiling: Math.round((c / o) * 100) / 100,
  }),
);
