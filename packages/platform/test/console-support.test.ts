/**
 * What the console reads and does beside the existing simulator API: the console's files served
 * at `/` (caching, gzip, the not-built page), an account's permission table, tags by OpenID, push
 * re-send, user media uploads, the errcode table and one journal entry by rid.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, PG_URL, type Running, start, tempDir, tokenFor } from "./helpers.js";

const VV = { appid: "wxd000000000000004", secret: "d0000000000000000000000000000004" };
const US = "wxd000000000000001";

describe("console files at /", () => {
  let r: Running;
  const dir = tempDir();
  const before = process.env.MPSTACK_CONSOLE_DIR;
  beforeAll(async () => {
    process.env.MPSTACK_CONSOLE_DIR = join(dir, "built");
    r = await start();
  });
  afterAll(async () => {
    await r?.close();
    if (before === undefined) delete process.env.MPSTACK_CONSOLE_DIR;
    else process.env.MPSTACK_CONSOLE_DIR = before;
  });

  it("says how to build it when it is not built, then serves the build once made", async () => {
    const missing = await r.raw("/");
    expect(missing.status).toBe(503);
    expect(await missing.text()).toContain("npm run build");

    mkdirSync(join(dir, "built", "assets"), { recursive: true });
    writeFileSync(
      join(dir, "built", "index.html"),
      `<!doctype html><script src="/console/assets/app-abc123.js"></script>`,
    );
    writeFileSync(
      join(dir, "built", "assets", "app-abc123.js"),
      `console.log(${JSON.stringify("x".repeat(5000))})`,
    );

    const page = await r.raw("/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(await page.text()).toContain("app-abc123.js");
    const etag = page.headers.get("etag")!;
    expect((await r.raw("/", { headers: { "if-none-match": etag } })).status).toBe(304);

    const asset = await request(`${r.url}/console/assets/app-abc123.js`, {
      headers: { "accept-encoding": "gzip" },
    });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(asset.headers["content-encoding"]).toBe("gzip");
    const js = gunzipSync(Buffer.from(await asset.body.arrayBuffer())).toString();
    expect(js).toContain("xxxx");
    expect((await r.raw("/console/assets/nope.js")).status).toBe(404);
    const traversal = await request(`${r.url}/console/assets/..%2F..%2Findex.html`);
    expect(traversal.statusCode).toBe(404);
    await traversal.body.dump();
    // WeChat's paths are untouched
    expect(((await r.post("/", {})).body as { errcode: number }).errcode).toBe(40066);
  });
});

for (const backend of BACKENDS)
  describe.skipIf(backend.pg && !PG_URL)(
    `simulator reads and actions for the console on ${backend.name}`,
    () => {
      let r: Running;
      beforeAll(async () => {
        r = await start({ pg: backend.pg });
      });
      afterAll(() => r?.close());

      it("lists the permission table of an account with verdicts", async () => {
        const vv = await r.get(`/_mpstack/accounts/${VV.appid}/permissions`);
        expect(vv.body.kind).toBe("VV");
        const rows = vv.body.rows as { id: string; seed: string; verdict: string; grant: string | null }[];
        expect(rows.find((x) => x.id === "promo.qrcode")).toMatchObject({
          verdict: "allowed",
          seed: "推广支持-生成带参数二维码",
        });
        expect(rows.find((x) => x.id === "pay")).toMatchObject({ verdict: "allowed", grant: "pay" }); // demo VV has pay
        expect(rows.find((x) => x.id === "shop")).toMatchObject({ verdict: "needs_grant", grant: "shop" });
        const us = await r.get(`/_mpstack/accounts/${US}/permissions`);
        const usRows = us.body.rows as { id: string; verdict: string }[];
        expect(usRows.find((x) => x.id === "promo.qrcode")?.verdict).toBe("not_allowed");
        expect((await r.get(`/_mpstack/accounts/wx0000000000000bad/permissions`)).status).toBe(404);
      });

      it("lists tags by OpenID, with remark and blacklist on followers", async () => {
        const token = await tokenFor(r, VV.appid, VV.secret);
        const created = await r.post(`/cgi-bin/tags/create?access_token=${token}`, { tag: { name: "VIP" } });
        const tagId = (created.body.tag as { id: number }).id;
        const alice = await r.get("/_mpstack/users/alice");
        const openid = (alice.body.follows as { appid: string; openid: string }[]).find(
          (f) => f.appid === VV.appid,
        )!.openid;
        await r.post(`/cgi-bin/tags/members/batchtagging?access_token=${token}`, {
          openid_list: [openid],
          tagid: tagId,
        });
        await r.post(`/cgi-bin/tags/members/batchblacklist?access_token=${token}`, { openid_list: [openid] });
        const tags = await r.get(`/_mpstack/accounts/${VV.appid}/tags`);
        expect(tags.body.tags).toContainEqual({ id: tagId, name: "VIP", count: 1 });
        expect((tags.body.members as Record<string, number[]>)[openid]).toEqual([tagId]);
        const followers = await r.get(`/_mpstack/accounts/${VV.appid}/followers`);
        const row = (
          followers.body.followers as { openid: string; blacklisted: boolean; remark: string }[]
        ).find((f) => f.openid === openid);
        expect(row).toMatchObject({ blacklisted: true, remark: "" });
        await r.post(`/cgi-bin/tags/members/batchunblacklist?access_token=${token}`, {
          openid_list: [openid],
        });
      });

      it("re-sends a push as a new push with the same XML", async () => {
        const sent = await r.post("/_mpstack/users/bob/messages", {
          appid: VV.appid,
          type: "text",
          content: "again",
        });
        const again = await r.post(`/_mpstack/pushes/${sent.body.pushId}/resend`, {});
        expect(again.status).toBe(200);
        expect(again.body.pushId).not.toBe(sent.body.pushId);
        const [a, b] = await Promise.all([
          r.get(`/_mpstack/pushes/${sent.body.pushId}`),
          r.get(`/_mpstack/pushes/${again.body.pushId}`),
        ]);
        expect(b.body.xml).toBe(a.body.xml);
        const conv = await r.get(`/_mpstack/users/bob/conversations/${VV.appid}`);
        expect(
          (conv.body.messages as unknown[]).filter((m) => JSON.stringify(m).includes('"again"')),
        ).toHaveLength(1);
        expect((await r.post("/_mpstack/pushes/p000/resend", {})).status).toBe(404);
      });

      it("keeps uploaded user media and serves it as the PicUrl", async () => {
        const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
        const up = await r.post("/_mpstack/user-media", {
          contentType: "image/png",
          data: png.toString("base64"),
        });
        expect(up.status).toBe(200);
        expect(up.body.format).toBe("png");
        const got = await r.raw(`/_mpstack/user-media/${up.body.mediaId}`);
        expect(got.headers.get("content-type")).toBe("image/png");
        expect(Buffer.from(await got.arrayBuffer()).equals(png)).toBe(true);
        const sent = await r.post("/_mpstack/users/alice/messages", {
          appid: VV.appid,
          type: "image",
          mediaId: up.body.mediaId,
          picUrl: up.body.url,
        });
        expect(sent.status).toBe(200);
        expect(
          (await r.post("/_mpstack/user-media", { contentType: "text/html", data: "PGI+" })).status,
        ).toBe(400);
        // unknown ids still answer the placeholder image
        expect((await r.raw("/_mpstack/user-media/whatever")).headers.get("content-type")).toBe("image/png");
      });

      it("answers the errcode table and a journal entry by rid", async () => {
        const codes = await r.get("/_mpstack/errcodes");
        expect(
          (codes.body.errcodes as { code: number; meaning: string }[]).find((c) => c.code === 40001)?.meaning,
        ).toBeTruthy();
        const bad = await r.get(`/cgi-bin/token?grant_type=client_credential&appid=${VV.appid}&secret=nope`);
        const rid = String(bad.body.errmsg).split(" rid: ")[1]!;
        const entry = await r.get(`/_mpstack/journal/${rid}`);
        expect(entry.body).toMatchObject({ rid, path: "/cgi-bin/token", errcode: bad.body.errcode });
        expect(String(entry.body.query)).not.toContain("secret=nope");
        const filtered = await r.get(`/_mpstack/journal?path=/cgi-bin/token&errcode=${bad.body.errcode}`);
        expect((filtered.body.calls as { rid: string }[]).map((c) => c.rid)).toContain(rid);
        expect((await r.get("/_mpstack/journal/00000000-00000000-00000000")).status).toBe(404);
      });
    },
  );
