/**
 * The SDK's material and mass groups against the real platform (in-process, 127.0.0.1:0): uploads
 * from a Buffer, a path and a stream; downloads; a video material with its description; drafts and
 * publishing; a mass send — and the job events (PUBLISHJOBFINISH, MASSSENDJOBFINISH) arriving typed
 * at a developer server built with `createHandler` in safe mode.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPlatform, demoAppid, demoSecret, type Platform } from "@mpstack/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createHandler, toNodeHttp, WechatApiError } from "../src/index.js";

const APPID = demoAppid(4);
const TOKEN = "materialsToken";
const AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(200, 1),
]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 2)]);
const MP4 = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from("ftypisom", "latin1"),
  Buffer.alloc(400, 3),
]);

let platform: Platform;
let url: string;
let dir: string;
let server: Server;
const events: { name: string; detail: string }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mpstack-sdk-materials-"));
  platform = await createPlatform({ dataDir: join(dir, "data"), host: "127.0.0.1", port: 0 });
  url = await platform.listen();
  const h = createHandler({ appId: APPID, token: TOKEN, encodingAESKey: AES_KEY });
  // Typed events: the fields below only compile because the handler knows these events' shapes.
  h.event("MASSSENDJOBFINISH", (m) => {
    events.push({
      name: m.Event,
      detail: `${m.MsgID}:${m.Status}:${m.TotalCount}/${m.SentCount}:${m.CopyrightCheckResult?.CheckState}`,
    });
    return undefined;
  });
  h.event("PUBLISHJOBFINISH", (m) => {
    const info = m.PublishEventInfo;
    events.push({
      name: m.Event,
      detail: `${info.publish_id}:${info.publish_status}:${info.article_detail?.count}`,
    });
    return undefined;
  });
  h.default(() => undefined);
  server = createServer(toNodeHttp(h));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechat`;
  const patched = await fetch(`${url}/_mpstack/accounts/${APPID}?handshake=false`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ server: { url: serverUrl, token: TOKEN, encodingAESKey: AES_KEY, mode: "safe" } }),
  });
  expect(patched.status).toBe(200);
  for (const user of ["alice", "bob"]) {
    await fetch(`${url}/_mpstack/users/${user}/follow`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ appid: APPID }),
    });
  }
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await platform?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function eventNamed(name: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const e = events.find((x) => x.name === name);
    if (e) return e.detail;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ${name} event`);
}

describe("client.media / material / draft / freepublish / mass against the platform", () => {
  const client = () => createClient({ appId: APPID, appSecret: demoSecret(4), baseUrl: url });

  it("uploads from a Buffer, a path and a stream, and downloads the bytes", async () => {
    const c = client();
    const path = join(dir, "photo.png");
    writeFileSync(path, PNG);
    const fromBuffer = await c.media.upload({ type: "image", media: PNG });
    const fromPath = await c.media.upload({ type: "image", media: path });
    const fromStream = await c.media.upload({ type: "image", media: createReadStream(path) });
    for (const up of [fromBuffer, fromPath, fromStream]) {
      expect(up.type).toBe("image");
      const file = await c.media.get({ media_id: up.media_id });
      if (!("data" in file)) throw new Error("expected a file");
      expect(Buffer.from(file.data).equals(PNG)).toBe(true);
      expect(file.contentType).toBe("image/png");
    }
  });

  it("adds a video material with its description and reads it back as JSON", async () => {
    const c = client();
    const video = await c.material.add({
      type: "video",
      media: { data: MP4, filename: "launch.mp4" },
      description: JSON.stringify({ title: "Launch", introduction: "Highlights" }),
    });
    const got = await c.material.get({ media_id: video.media_id });
    expect(got).toEqual({
      title: "Launch",
      description: "Highlights",
      down_url: expect.stringContaining("/mmvideo/"),
    });
  });

  it("publishes a draft: PUBLISHJOBFINISH reaches the handler typed", async () => {
    const c = client();
    const cover = await c.material.add({ type: "thumb", media: JPEG });
    const draft = await c.draft.add({
      articles: [{ title: "Hello", thumb_media_id: cover.media_id, content: "<p>Hi</p>" }],
    });
    const { publish_id } = await c.freepublish.submit({ media_id: draft.media_id });
    expect(await eventNamed("PUBLISHJOBFINISH")).toBe(`${publish_id}:0:1`);
  });

  it("mass-sends to all: MASSSENDJOBFINISH reaches the handler typed; a second send raises 45028", async () => {
    const c = client();
    const sent = await c.mass.sendAll({
      filter: { is_to_all: true },
      msgtype: "text",
      text: { content: "Hello" },
    });
    expect(sent.errcode).toBe(0);
    // Every follower of the demo account (alice and bob among them) received it.
    expect(await eventNamed("MASSSENDJOBFINISH")).toMatch(
      new RegExp(`^${sent.msg_id}:send success:(\\d+)/\\1:0$`),
    );
    expect(await c.mass.get({ msg_id: sent.msg_id })).toEqual({
      msg_id: sent.msg_id,
      msg_status: "SEND_SUCCESS",
    });
    const again = c.mass.sendAll({
      filter: { is_to_all: true },
      msgtype: "text",
      text: { content: "Again" },
    });
    await expect(again).rejects.toBeInstanceOf(WechatApiError);
    await expect(again).rejects.toMatchObject({ errcode: 45028 });
  });
});
