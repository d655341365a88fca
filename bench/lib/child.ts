/**
 * Benchmark servers run in child processes (so the load tool never shares their event loop).
 * A child is a TypeScript file run through tsx that prints one JSON line (its port, URL…) once
 * it listens; with `ipc`, it answers messages such as "reset" and "stats".
 */
import { type ChildProcess, spawn } from "node:child_process";

/** Start `file` with `args`; resolves with the child and the JSON object of its first stdout line. */
export function spawnTsx<Hello>(
  file: string,
  args: readonly string[],
  options: { ipc?: boolean; execArgv?: readonly string[]; label?: string } = {},
): Promise<{ child: ChildProcess; hello: Hello }> {
  const child = spawn(process.execPath, [...(options.execArgv ?? []), "--import", "tsx", file, ...args], {
    stdio: options.ipc ? ["ignore", "pipe", "inherit", "ipc"] : ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const nl = out.indexOf("\n");
      if (nl !== -1) resolve({ child, hello: JSON.parse(out.slice(0, nl)) as Hello });
    });
    child.once("exit", (code) => reject(new Error(`${options.label ?? file} exited (${code})`)));
  });
}

/** Send `message` over IPC; resolves once it has been handed to the child. */
export function notifyChild(child: ChildProcess, message: string): Promise<void> {
  return new Promise((resolve) => child.send(message, () => resolve()));
}

/** Send `message` over IPC and resolve with the child's next message. */
export function askChild<T>(child: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    child.once("message", (m) => resolve(m as T));
    child.send(message);
  });
}

/** SIGTERM, and wait for the exit. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
