/**
 * Compatibility with the npm `wechat-api` client (CommonJS, urllib, formstream uploads) for
 * materials and mass messages: it uploads temporary media from a file and downloads it, adds a
 * permanent image and a news material, counts and lists them, sends a mass text and articles to
 * all followers, previews, and reads the job's status — pointed at the platform by its `endpoint`.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, start } from "./helpers.js";
import { jpeg, png } from "./media-fixtures.js";

type Data = Record<string, unknown>;
type Callback = (err: (Error & { code?: number }) | null, data: Data) => void;
interface WechatApiClient {
  endpoint: string;
  fileServerPrefix: string;
  uploadMedia(filepath: string, type: string, cb: Callback): void;
  getMedia(mediaId: string, cb: (err: Error | null, data: Buffer | Data) => void): void;
  uploadImageMaterial(filepath: string, cb: Callback): void;
  uploadThumbMaterial(filepath: string, cb: Callback): void;
  uploadNewsMaterial(news: { articles: Data[] }, cb: Callback): void;
  getMaterialCount(cb: Callback): void;
  getMaterials(type: string, offset: number, count: number, cb: Callback): void;
  massSendText(content: string, receivers: boolean | string[], cb: Callback): void;
  massSendNews(mediaId: string, receivers: boolean | string[], cb: Callback): void;
  previewText(openid: string, content: string, cb: Callback): void;
  getMassMessageStatus(msgId: number, cb: Callback): void;
}
type WechatApiCtor = new (appid: string, secret: string) => WechatApiClient;

const WechatAPI = createRequire(import.meta.url)("wechat-api") as WechatApiCtor;
const APPID = "wxd000000000000004";
const SECRET = "d0000000000000000000000000000004";

function call<T = Data>(fn: (cb: (err: Error | null, data: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, data) => (err ? reject(err) : resolve(data))));
}

describe("wechat-api (npm): materials and mass messages against the platform", () => {
  let r: Running;
  let api: WechatApiClient;
  const openids: string[] = [];
  const file = (name: string, bytes: Buffer) => {
    const path = join(r.dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  beforeAll(async () => {
    r = await start();
    api = new WechatAPI(APPID, SECRET);
    api.endpoint = r.url;
    api.fileServerPrefix = `${r.url}/cgi-bin/`;
    for (const user of ["alice", "bob", "carol"]) {
      openids.push(String((await r.post(`/_mpstack/users/${user}/follow`, { appid: APPID })).body.openid));
    }
  });
  afterAll(() => r?.close());

  it("uploads temporary media from a file and downloads the same bytes", async () => {
    const bytes = png(2048, 11);
    const up = await call((cb) => api.uploadMedia(file("photo.png", bytes), "image", cb));
    expect(up).toEqual({ type: "image", media_id: expect.any(String), created_at: expect.any(Number) });
    const got = await call<Buffer | Data>((cb) => api.getMedia(String(up.media_id), cb));
    expect(Buffer.isBuffer(got) && got.equals(bytes)).toBe(true);
  });

  it("adds a permanent image and a news material, counts and lists them", async () => {
    const image = await call((cb) => api.uploadImageMaterial(file("logo.jpg", jpeg(3000, 5)), cb));
    expect(image).toEqual({ media_id: expect.any(String), url: expect.stringContaining("/mmbiz_jpg/") });
    const news = await call((cb) =>
      api.uploadNewsMaterial(
        {
          articles: [
            { title: "Hello", thumb_media_id: image.media_id, content: "<p>Hi</p>", show_cover_pic: 1 },
          ],
        },
        cb,
      ),
    );
    expect(news.media_id).toEqual(expect.any(String));
    expect(await call((cb) => api.getMaterialCount(cb))).toEqual({
      voice_count: 0,
      video_count: 0,
      image_count: 1,
      news_count: 1,
    });
    const list = await call((cb) => api.getMaterials("image", 0, 10, cb));
    expect(list).toMatchObject({
      total_count: 1,
      item_count: 1,
      item: [{ media_id: image.media_id, name: "logo.jpg" }],
    });
  });

  it("mass-sends a text and articles to all followers, previews, and reads the status", async () => {
    const sent = await call((cb) => api.massSendText("Maintenance tonight", true, cb));
    expect(sent).toMatchObject({ errcode: 0, msg_id: expect.any(Number) });
    let status: Data = {};
    for (let i = 0; i < 100 && status.msg_status !== "SEND_SUCCESS"; i++) {
      status = await call((cb) => api.getMassMessageStatus(Number(sent.msg_id), cb));
      await new Promise((res) => setTimeout(res, 20));
    }
    expect(status).toEqual({ msg_id: sent.msg_id, msg_status: "SEND_SUCCESS" });
    const got = (await r.get(`/_mpstack/users/bob/received/${APPID}`)).body.messages as { rendered: Data }[];
    expect(got.map((m) => m.rendered)).toEqual([{ text: "Maintenance tonight" }]);
    expect(await call((cb) => api.previewText(openids[0]!, "Draft text", cb))).toMatchObject({ errcode: 0 });

    // A service account sends to all once a day: the article send goes to a list.
    const thumb = await call((cb) => api.uploadThumbMaterial(file("t.jpg", jpeg(900, 8)), cb));
    const news = await call((cb) =>
      api.uploadNewsMaterial(
        { articles: [{ title: "Article", thumb_media_id: thumb.media_id, content: "<p>Body</p>" }] },
        cb,
      ),
    );
    const articles = await call((cb) => api.massSendNews(String(news.media_id), openids, cb));
    expect(articles).toMatchObject({ errcode: 0, msg_data_id: expect.any(Number) });
    // wechat-api surfaces WeChat's errors with their code: the second text to all today.
    await expect(call((cb) => api.massSendText("Again", true, cb))).rejects.toMatchObject({ code: 45028 });
  });
});
