/**
 * console: the web console in Chromium against a real platform (child process).
 *
 * - size: the console's JavaScript, gzipped (budget 250 KB), all chunks;
 * - first screen: from navigation (fresh browser context, cold cache) until the phone can be typed
 *   into, on loopback (target: under 1 s), median of 5;
 * - scrolling a 10 000-message conversation: p95 frame time while scrolling it end to end in
 *   1 000 px a frame — ours (the virtualized phone) vs the peer (the same 10 000 bubbles as plain DOM, no
 *   virtualization) vs the ceiling (the same scroll over an empty page);
 * - live: 100 messages a second for 5 s into a conversation open on a phone; every one
 *   must reach the phone (count) and the lag from the last one sent to it on screen is reported.
 *   The messages are recorded in the platform process the way pushes record them (the HTTP path's
 *   own cost is the platform benchmarks' business), so the rate is the console's to keep up with.
 *
 * Needs `npm run build` and Chromium (MPSTACK_TEST_CHROMIUM, default /usr/bin/chromium). Last line:
 * {"bench":"console","unit":"ms (p95 frame, scrolling 10 000 messages)", ours, peer, ceiling, …}.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { createPlatform } from "@mpstack/platform";
import type { Page } from "playwright-core";
import {
  type NewMessage,
  recordMessage,
  recordMessages,
} from "../packages/platform/src/modules/conversations/index.js";
import { launchChromium } from "../scripts/chromium.js";
import { askChild, spawnTsx, stopChild } from "./lib/child.js";

const APPID = "wxd000000000000004";
const BIG_USER = "bob";
const LIVE_USER = "carol";
const MESSAGES = 10_000;
/** Scrolled per frame: 1 000 px (60 000 px/s, a fast fling). */
const STEP_PX = 1000;
const root = fileURLToPath(new URL("..", import.meta.url));
const assets = join(root, "packages/platform/dist/console/assets");

async function serve(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mpstack-bench-console-"));
  const platform = await createPlatform({ dataDir: dir, port: 0 });
  const follow = (await platform.db
    .selectFrom("follows")
    .selectAll()
    .where("appid", "=", APPID)
    .where("user_id", "=", BIG_USER)
    .executeTakeFirst())!;
  const list: NewMessage[] = [];
  const t0 = platform.clock.now() - MESSAGES * 1000;
  for (let i = 0; i < MESSAGES; i++) {
    const incoming = i % 2 === 0;
    list.push({
      appid: APPID,
      userId: BIG_USER,
      openid: follow.openid,
      direction: incoming ? "in" : "out",
      kind: incoming ? "message" : "passive",
      msgType: "text",
      payload: incoming
        ? { Content: `message ${i} ${"lorem ipsum ".repeat(i % 7)}` }
        : { type: "text", content: `reply ${i}` },
      createdAt: t0 + i * 1000,
    });
  }
  await recordMessages(platform, list);
  const url = await platform.listen();
  const carol = (await platform.db
    .selectFrom("follows")
    .selectAll()
    .where("appid", "=", APPID)
    .where("user_id", "=", LIVE_USER)
    .executeTakeFirst())!;
  // "live N": record N messages to carol's conversation at 100 a second (the push module's path:
  // recorded, then `conversation.message` to the event stream); answers the ms it took.
  process.on("message", async (m) => {
    const n = Number(String(m).split(" ")[1]);
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      const wait = start + i * 10 - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await recordMessage(platform, {
        appid: APPID,
        userId: LIVE_USER,
        openid: carol.openid,
        direction: i % 2 === 0 ? "in" : "out",
        kind: i % 2 === 0 ? "message" : "passive",
        msgType: "text",
        payload: i % 2 === 0 ? { Content: `live ${i}` } : { type: "text", content: `live reply ${i}` },
      });
    }
    process.send?.(performance.now() - start);
  });
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  process.on("SIGTERM", () => {
    void platform.close().then(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

/** Frame times (ms) while scrolling `selector` from top to bottom by `stepPx` a frame (a fast fling). */
async function scrollFrames(page: Page, selector: string, stepPx: number): Promise<number[]> {
  return page.evaluate(
    async ({ selector, stepPx }) => {
      const w = globalThis as unknown as PageWindow;
      const el = w.document.querySelector(selector) as PageEl;
      el.scrollTop = 0;
      await new Promise<void>((r) => w.requestAnimationFrame(() => w.requestAnimationFrame(r)));
      const frames: number[] = [];
      let last = performance.now();
      while (el.scrollTop + el.clientHeight < el.scrollHeight - 1 && frames.length < 2000) {
        el.scrollTop += stepPx;
        await new Promise<void>((r) => w.requestAnimationFrame(r));
        const now = performance.now();
        frames.push(now - last);
        last = now;
      }
      return frames;
    },
    { selector, stepPx },
  );
}

/** The browser globals the page-side functions use (this repository's tsconfig has no DOM types). */
interface PageEl {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  className: string;
  innerHTML: string;
  readonly outerHTML: string;
  readonly style: { cssText: string };
  readonly parentElement: { replaceChild(a: PageEl, b: PageEl): void } | null;
  getAttribute(name: string): string | null;
}
interface PageWindow {
  document: { querySelector(s: string): PageEl | null; createElement(tag: string): PageEl };
  requestAnimationFrame(cb: () => void): number;
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const round1 = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const executablePath = process.env.MPSTACK_TEST_CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(executablePath) || !existsSync(assets)) {
    console.error("console bench: needs Chromium (MPSTACK_TEST_CHROMIUM) and `npm run build` first");
    process.exit(2);
  }
  const jsBytes = readdirSync(assets)
    .filter((f) => f.endsWith(".js"))
    .reduce((n, f) => n + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);

  const { child, hello } = await spawnTsx<{ url: string }>(fileURLToPath(import.meta.url), ["--serve"], {
    label: "platform",
    ipc: true,
  });
  const url = hello.url;
  const browser = await launchChromium(executablePath);
  try {
    // first screen, cold
    const firstScreen: number[] = [];
    for (let i = 0; i < 5; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 820 } });
      const page = await ctx.newPage();
      const t0 = performance.now();
      await page.goto(`${url}/#/phones?user=alice&appid=${APPID}`);
      await page.locator(".phone .composer-input").waitFor();
      firstScreen.push(performance.now() - t0);
      await ctx.close();
    }

    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    // ours: the virtualized phone with 10 000 messages
    const loadT0 = performance.now();
    await page.goto(`${url}/#/phones?user=${BIG_USER}&appid=${APPID}`);
    await page.waitForFunction(
      (n) =>
        Number(
          (globalThis as unknown as PageWindow).document
            .querySelector(".conversation")
            ?.getAttribute("data-count"),
        ) >= n,
      MESSAGES,
      {
        timeout: 60_000,
      },
    );
    const loadMs = performance.now() - loadT0;
    const domRows = await page.locator(".conversation .row").count();
    const ours = await scrollFrames(page, ".conversation", STEP_PX);
    // peer: the same bubbles as plain DOM (no virtualization), same styles
    const bubbles = await page.evaluate(
      () =>
        (globalThis as unknown as PageWindow).document.querySelector(".conversation .row")?.outerHTML ?? "",
    );
    await page.evaluate(
      ({ html, n }) => {
        const d = (globalThis as unknown as PageWindow).document;
        const el = d.querySelector(".conversation") as PageEl;
        const plain = d.createElement("div");
        plain.className = "conversation plain";
        plain.style.cssText = "height:680px;overflow-y:auto;contain:strict;width:375px";
        const row = html.replace(/style="[^"]*"/, "");
        plain.innerHTML = Array.from({ length: n }, () => row).join("");
        el.parentElement?.replaceChild(plain, el);
      },
      { html: bubbles, n: MESSAGES },
    );
    await page.waitForTimeout(500);
    const peer = await scrollFrames(page, ".conversation.plain", STEP_PX);
    // ceiling: the same scrolling over an empty page
    await page.setContent(
      '<div id="e" style="height:680px;overflow-y:auto"><div style="height:640000px"></div></div>',
    );
    const ceiling = await scrollFrames(page, "#e", STEP_PX);

    // live: 100 messages a second for 5 s to a phone (a fresh page: the last one was taken apart)
    await page.close();
    const live = await ctx.newPage();
    await live.goto(`${url}/#/phones?user=${LIVE_USER}&appid=${APPID}`);
    await live.locator(".phone .composer-input").waitFor();
    const before = Number(await live.locator(".conversation").getAttribute("data-count"));
    const SENT = 500;
    const tookMs = await askChild<number>(child, `live ${SENT}`);
    const sentAt = performance.now();
    const sendSeconds = tookMs / 1000;
    await live
      .waitForFunction(
        (n) =>
          Number(
            (globalThis as unknown as PageWindow).document
              .querySelector(".conversation")
              ?.getAttribute("data-count"),
          ) >= n,
        before + SENT,
        {
          timeout: 15_000,
        },
      )
      .catch(() => {});
    const lagMs = performance.now() - sentAt;
    const received = Number(await live.locator(".conversation").getAttribute("data-count")) - before;

    const o = round1(p95(ours));
    const p = round1(p95(peer));
    const c = round1(p95(ceiling));
    console.log(`console JS ${Math.round(jsBytes / 1024)} KB gzipped (budget 250 KB)`);
    console.log(
      `first screen (cold, loopback): median ${Math.round(median(firstScreen))} ms of 5 (target < 1000)`,
    );
    console.log(
      `10 000-message conversation: loaded in ${Math.round(loadMs)} ms; ${domRows} rows in the DOM`,
    );
    console.log(`scrolling p95 frame: virtualized ${o} ms · plain DOM ${p} ms · empty page ${c} ms`);
    console.log(
      `live: ${received}/${SENT} messages shown at ${Math.round(SENT / sendSeconds)}/s sent; last shown ${Math.round(lagMs)} ms after the last was recorded`,
    );
    console.log(
      JSON.stringify({
        bench: "console",
        unit: "ms (p95 frame, scrolling 10 000 messages)",
        ours: o,
        peer: p,
        ceiling: c,
        vs_peer: round1(p / Math.max(o, 0.1)),
        vs_ceiling: round1(c / Math.max(o, 0.1)),
        js_gzip_kb: Math.round(jsBytes / 1024),
        first_screen_ms: Math.round(median(firstScreen)),
        dom_rows: domRows,
        live_sent: SENT,
        live_shown: received,
        live_lag_ms: Math.round(lagMs),
      }),
    );
  } finally {
    await browser.close();
    await stopChild(child);
  }
}

if (process.argv.includes("--serve")) await serve();
else await main();
