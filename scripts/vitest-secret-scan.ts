/**
 * Vitest global setup: no secret of the demo world (appsecrets, server token, EncodingAESKeys)
 * may appear on stdout or stderr during the whole test run. It watches the main process's two
 * streams, which carry everything: the reporter, the tests' console output and the raw output of
 * every test worker (Vitest pipes the forks' stdout/stderr into them; the platforms the tests
 * start log there at the CLI's level). At the end of the run, a secret seen fails the run, with
 * the secret masked in the report. (The journal has its own check, in the tests' platform helper.)
 */
import { demoConfig } from "../packages/platform/src/demo-world.js";

type Write = typeof process.stdout.write;

export function demoSecrets(): string[] {
  const out = new Set<string>();
  for (const a of demoConfig().accounts) {
    out.add(a.secret);
    out.add(a.server.token);
    out.add(a.server.encodingAESKey);
  }
  return [...out].filter((s) => s.length >= 8);
}

export default function setup(): () => void {
  const secrets = demoSecrets();
  const longest = Math.max(...secrets.map((s) => s.length));
  const found: string[] = [];
  const restore: (() => void)[] = [];
  for (const [name, stream] of [
    ["stdout", process.stdout],
    ["stderr", process.stderr],
  ] as const) {
    const original = stream.write;
    let tail = "";
    const watched = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : "";
      const window = tail + text;
      for (const s of secrets) {
        // Only occurrences that reach into the new text (the tail's were reported before).
        const at = window.indexOf(s, Math.max(0, tail.length - s.length + 1));
        if (at !== -1 && found.length < 20) {
          const context = window
            .slice(Math.max(0, at - 80), at + s.length + 40)
            .replaceAll(s, `${s.slice(0, 3)}…`);
          found.push(`${name}: ${JSON.stringify(context)}`);
        }
      }
      tail = window.slice(-(longest - 1));
      return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as Write;
    stream.write = watched;
    restore.push(() => {
      stream.write = original;
    });
  }
  return () => {
    for (const r of restore) r();
    if (found.length > 0) {
      // A teardown's exception alone does not fail a Vitest run: set the exit status as well.
      process.exitCode = 1;
      throw new Error(
        `a secret of the demo world appeared in the test run's output:\n  ${found.join("\n  ")}`,
      );
    }
  };
}
