/**
 * Media through the client: downloads (files, JSON answers, streams) and multipart uploads from
 * buffers, paths and streams.
 */
import { createReadStream, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isMediaFile, WechatApiError } from "../src/index.js";
import { adHoc, clientFor } from "./client-harness.js";
import { errorBody, type FakeWechat, startFakeWechat } from "./helpers/fake-wechat.js";

let fake: FakeWechat;
beforeEach(async () => {
  fake = await startFakeWechat({ tokenDelayMs: 30 });
});
afterEach(async () => {
  await fake.close();
});

describe("downloads", () => {
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]);
  beforeEach(() => {
    fake.on("/cgi-bin/media/get", (req) =>
      req.query.media_id === "good"
        ? {
            body: jpeg,
            headers: {
              "content-type": "image/jpeg",
              "content-disposition": 'attachment; filename="good.jpg"',
            },
          }
        : req.query.media_id === "video"
          ? { json: { video_url: "http://example.invalid/v.mp4" } }
          : { json: errorBody(40007, "invalid media_id") },
    );
  });

  it("returns the bytes, content type and filename", async () => {
    const client = clientFor(fake);
    const file = await client.call(adHoc.download, { media_id: "good" });
    expect(isMediaFile(file)).toBe(true);
    if (!isMediaFile(file)) return;
    expect(file.data.equals(jpeg)).toBe(true);
    expect(file.contentType).toBe("image/jpeg");
    expect(file.filename).toBe("good.jpg");
  });

  it("returns the JSON success form of a download endpoint (video_url)", async () => {
    const client = clientFor(fake);
    const result = await client.call(adHoc.download, { media_id: "video" });
    expect(isMediaFile(result)).toBe(false);
    expect(result).toEqual({ video_url: "http://example.invalid/v.mp4" });
  });

  it("throws the typed error when the body is a JSON error", async () => {
    const client = clientFor(fake);
    const error = await client.call(adHoc.download, { media_id: "nope" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatApiError);
    expect((error as WechatApiError).errcode).toBe(40007);
    await expect(client.download("/cgi-bin/media/get", { media_id: "nope" })).rejects.toMatchObject({
      errcode: 40007,
    });
  });

  it("streams a download", async () => {
    const client = clientFor(fake);
    const media = await client.stream(adHoc.download, { media_id: "good" });
    const chunks: Buffer[] = [];
    for await (const chunk of media.stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(jpeg)).toBe(true);
    expect(media.contentLength).toBe(jpeg.length);
    const viaPath = await client.downloadStream("/cgi-bin/media/get", { media_id: "good" });
    expect(viaPath.filename).toBe("good.jpg");
    viaPath.stream.destroy();
    await expect(client.stream(adHoc.download, { media_id: "nope" })).rejects.toBeInstanceOf(WechatApiError);
  });

  it("retries a download after a token error", async () => {
    const client = clientFor(fake);
    const token = await client.getAccessToken();
    fake.validTokens.delete(token);
    const file = await client.download("/cgi-bin/media/get", { media_id: "good" });
    expect(file.data.equals(jpeg)).toBe(true);
    expect(fake.tokenRequests).toBe(2);
  });
});

describe("uploads", () => {
  const png = Buffer.concat([Buffer.from("\x89PNG\r\n\x1a\n", "latin1"), Buffer.alloc(2000, 7)]);

  async function received(index = 0) {
    const req = fake.apiRequests("/cgi-bin/media/upload")[index];
    if (!req) throw new Error("no upload received");
    const form = await new Response(req.body, {
      headers: { "content-type": String(req.headers["content-type"]) },
    }).formData();
    const media = form.get("media");
    if (!(media instanceof File)) throw new Error("media part is not a file");
    return { req, form, media, bytes: Buffer.from(await media.arrayBuffer()) };
  }

  beforeEach(() => {
    fake.on("/cgi-bin/media/upload", (req) => ({
      json: { type: req.query.type, media_id: "m1", created_at: 1 },
    }));
  });

  it("uploads a Buffer as multipart part `media` with a sniffed type and filename", async () => {
    const client = clientFor(fake);
    const result = await client.call(adHoc.upload, { type: "image", media: png });
    expect(result).toMatchObject({ type: "image", media_id: "m1" });
    const { req, media, bytes } = await received();
    expect(req.query.type).toBe("image");
    expect(String(req.headers["content-type"])).toMatch(/^multipart\/form-data; boundary=/);
    expect(Number(req.headers["content-length"])).toBe(req.body.length);
    expect(media.name).toBe("media.png");
    expect(media.type).toBe("image/png");
    expect(bytes.equals(png)).toBe(true);
  });

  it("uploads a file path, with extra fields as raw-UTF-8 JSON", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mpstack-sdk-"));
    const path = join(dir, "视频.mp4");
    writeFileSync(path, png);
    const client = clientFor(fake);
    await client.call(adHoc.upload, {
      type: "video",
      media: path,
      description: { title: "标题", introduction: "介绍" },
    });
    const { form, media, bytes } = await received();
    expect(media.name).toBe("视频.mp4");
    expect(media.type).toBe("video/mp4");
    expect(bytes.equals(png)).toBe(true);
    expect(form.get("description")).toBe('{"title":"标题","introduction":"介绍"}');
  });

  it("uploads a Readable stream with an explicit filename and type", async () => {
    const client = clientFor(fake);
    const stream = Readable.from([png.subarray(0, 1000), png.subarray(1000)]);
    await client.upload(
      "/cgi-bin/media/upload",
      { data: stream, filename: "a.png", contentType: "image/png" },
      { query: { type: "image" } },
    );
    const { req, media, bytes } = await received();
    expect(req.query.type).toBe("image");
    expect(media.name).toBe("a.png");
    expect(bytes.equals(png)).toBe(true);
  });

  it("names an fs.ReadStream after its file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mpstack-sdk-"));
    const path = join(dir, "voice.amr");
    writeFileSync(path, Buffer.from("#!AMR\n1234"));
    const client = clientFor(fake);
    await client.call(adHoc.upload, { type: "voice", media: createReadStream(path) });
    const { media } = await received();
    expect(media.name).toBe("voice.amr");
    expect(media.type).toBe("audio/amr");
  });

  it("re-sends a Buffer upload after a token error, but never re-reads a consumed stream", async () => {
    const client = clientFor(fake);
    fake.validTokens.delete(await client.getAccessToken());
    await client.call(adHoc.upload, { type: "image", media: png });
    expect((await received(1)).bytes.equals(png)).toBe(true);

    fake.validTokens.delete(await client.getAccessToken());
    const error = await client
      .call(adHoc.upload, { type: "image", media: Readable.from([png]) })
      .catch((e: unknown) => e);
    expect((error as WechatApiError).errcode).toBe(40001);
    expect(fake.apiRequests("/cgi-bin/media/upload")).toHaveLength(3);
  });
});
