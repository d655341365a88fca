/**
 * Start and stop beside requests: modules' background work starts after setup and is awaited at
 * close (failures logged, except while closing), and closing the server does not wait out the
 * keep-alive of a connection whose request was still in flight when close began.
 */
import { connect } from "node:net";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { BackgroundTasks, closeServer } from "../src/lifecycle.js";
import { defineModule } from "../src/module.js";
import { modules } from "../src/modules/index.js";
import { start } from "./helpers.js";

function captureLog() {
  const lines: string[] = [];
  const log = Fastify({ logger: { level: "info", stream: { write: (l: string) => lines.push(l) } } }).log;
  return { log, lines };
}

describe("background work", () => {
  it("holds work until start, logs failures, and is awaited when closing", async () => {
    const { log, lines } = captureLog();
    const tasks = new BackgroundTasks(log);
    const order: string[] = [];
    tasks.run("early", async () => {
      order.push("early");
    });
    expect(order).toEqual([]);
    tasks.start();
    tasks.run("broken", async () => {
      throw new Error("disk on fire");
    });
    let release = () => {};
    const gate = new Promise<void>((ok) => {
      release = ok;
    });
    tasks.run("slow", async () => {
      await gate;
      order.push("slow");
      throw new Error("stopped while closing");
    });
    await new Promise((ok) => setTimeout(ok, 10));
    expect(order).toEqual(["early"]);
    expect(lines.some((l) => l.includes("broken failed") && l.includes("disk on fire"))).toBe(true);

    tasks.closing();
    tasks.run("late", async () => {
      order.push("late");
    });
    const settled = tasks.settled().then(() => order.push("settled"));
    await new Promise((ok) => setTimeout(ok, 10));
    expect(order).toEqual(["early"]);
    release();
    await settled;
    expect(order).toEqual(["early", "slow", "settled"]);
    expect(lines.some((l) => l.includes("slow failed"))).toBe(false);
  });

  it("a module's background work sees its database until it is done", async () => {
    let seen = -1;
    let release = () => {};
    const gate = new Promise<void>((ok) => {
      release = ok;
    });
    const probe = defineModule({
      name: "probe",
      requires: ["accounts"],
      setup(ctx) {
        ctx.background("probe count", async () => {
          await gate;
          seen = (await ctx.db.selectFrom("accounts").select("appid").execute()).length;
        });
        ctx.onClose(release);
      },
    });
    const r = await start({ modules: [...modules, probe] });
    await r.close();
    expect(seen).toBeGreaterThan(0);
  });
});

describe("closing the server", () => {
  it("cuts a connection still sending its request once the grace time is over", async () => {
    const app = Fastify({ keepAliveTimeout: 72_000 });
    app.get("/", async () => ({ ok: true }));
    const url = new URL(await app.listen({ host: "127.0.0.1", port: 0 }));
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((ok) => socket.once("connect", () => ok()));
    socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    const ended = new Promise<void>((ok) => socket.once("close", () => ok()));
    // The headers never end: Node would wait for its 60 s headers timeout (past this test's).
    await closeServer(app, 200);
    await ended;
  });
});
