/**
 * Drafts and publishing (spec/material.md §4) over real HTTP: the draft box, publishing jobs with
 * their PUBLISHJOBFINISH push, published groups and their deletion; and media across worlds — an
 * export carries the bytes (imported into a fresh SQLite platform), and on PostgreSQL two platform
 * processes share them.
 */
import { parseInbound } from "@mpstack/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, pgUrlWithFreshSchema, type Running, start } from "./helpers.js";
import { jpeg, png, VV, type Wechat, wechat } from "./media-fixtures.js";
import { type DevServer, startDevServer } from "./push-servers.js";

const code = (body: Record<string, unknown>) => body.errcode;

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !process.env.MPSTACK_TEST_DATABASE_URL)(
    `drafts and publishing (${backend.name})`,
    () => {
      let r: Running;
      let w: Wechat;
      let dev: DevServer;
      let cover = "";

      beforeAll(async () => {
        r = await start({ pg: backend.pg });
        w = wechat(r);
        dev = await startDevServer(() => ({ body: "success" }));
        const patched = await r.raw(`/_mpstack/accounts/${VV.appid}?handshake=false`, {
          method: "PATCH",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ server: { url: dev.url, mode: "plain" } }),
        });
        expect(patched.status).toBe(200);
        cover = String(
          (await w.upload(VV, "/cgi-bin/material/add_material?type=image", png(120, 5), "c.png")).media_id,
        );
      });
      afterAll(async () => {
        await r?.close();
        await dev?.close();
      });

      const article = (title: string) => ({ title, thumb_media_id: cover, content: `<p>${title} body</p>` });

      it("keeps drafts: add, get, update, count, list, delete, and the box's switch", async () => {
        const a = await w.call(VV, "/cgi-bin/draft/add", { articles: [article("One"), article("Two")] });
        const b = await w.call(VV, "/cgi-bin/draft/add", { articles: [article("Three")] });
        const got = (await w.call(VV, "/cgi-bin/draft/get", { media_id: a.media_id })) as {
          news_item: { title: string; show_cover_pic: number; url: string }[];
        };
        expect(got.news_item.map((n) => [n.title, n.show_cover_pic])).toEqual([
          ["One", 1],
          ["Two", 1],
        ]);
        expect(await (await fetch(got.news_item[1]!.url)).text()).toContain("Two body");
        expect(
          code(
            await w.call(VV, "/cgi-bin/draft/update", {
              media_id: a.media_id,
              index: 5,
              articles: article("X"),
            }),
          ),
        ).toBe(40114);
        expect(
          await w.call(VV, "/cgi-bin/draft/update", {
            media_id: a.media_id,
            index: 1,
            articles: article("Two*"),
          }),
        ).toEqual({
          errcode: 0,
          errmsg: "ok",
        });
        expect(await (await w.get(VV, "/cgi-bin/draft/count")).json()).toEqual({ total_count: 2 });
        const list = (await w.call(VV, "/cgi-bin/draft/batchget", {
          offset: 0,
          count: 20,
          no_content: 1,
        })) as {
          item: { media_id: string; content: { news_item: { title: string; content: string }[] } }[];
        };
        expect(list.item.map((i) => i.content.news_item.map((n) => n.title))).toEqual([
          ["One", "Two*"],
          ["Three"],
        ]);
        expect(list.item[0]?.content.news_item[0]?.content).toBe("");
        expect(code(await w.call(VV, "/cgi-bin/draft/batchget", { offset: 0, count: 0 }))).toBe(40035);
        expect(await w.call(VV, "/cgi-bin/draft/delete", { media_id: b.media_id })).toEqual({
          errcode: 0,
          errmsg: "ok",
        });
        expect(code(await w.call(VV, "/cgi-bin/draft/get", { media_id: b.media_id }))).toBe(40007);
        expect(code(await w.call(VV, "/cgi-bin/draft/delete", { media_id: b.media_id }))).toBe(40007);

        await r.raw(`/_mpstack/accounts/${VV.appid}/draft-box`, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ open: false }),
        });
        const token = await w.token(VV);
        const sw = async (q: string) =>
          (await r.post(`/cgi-bin/draft/switch?access_token=${token}${q}`, "")).body;
        expect(await sw("&checkonly=1")).toEqual({ errcode: 0, errmsg: "ok", is_open: 0 });
        expect(await sw("")).toEqual({ errcode: 0, errmsg: "ok", is_open: 1 });
        expect(await sw("&checkonly=1")).toEqual({ errcode: 0, errmsg: "ok", is_open: 1 });
      });

      it("publishes a draft: the job's result is polled and pushed once, the draft leaves the box", async () => {
        const d = await w.call(VV, "/cgi-bin/draft/add", {
          articles: [article("News A"), article("News B")],
        });
        expect(code(await w.call(VV, "/cgi-bin/freepublish/submit", { media_id: "nope" }))).toBe(40007);
        const sub = await w.call(VV, "/cgi-bin/freepublish/submit", { media_id: d.media_id });
        expect(sub).toEqual({
          errcode: 0,
          errmsg: "ok",
          publish_id: expect.stringMatching(/^\d{10}$/),
          msg_data_id: expect.any(String),
        });
        let polled: Record<string, unknown> = {};
        for (let i = 0; i < 100 && polled.publish_status !== 0; i++) {
          polled = await w.call(VV, "/cgi-bin/freepublish/get", { publish_id: sub.publish_id });
          await new Promise((res) => setTimeout(res, 20));
        }
        const articleId = String(polled.article_id);
        expect(polled).toEqual({
          publish_id: sub.publish_id,
          publish_status: 0,
          article_id: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
          article_detail: {
            count: 2,
            item: [
              { idx: 1, article_url: expect.any(String) },
              { idx: 2, article_url: expect.any(String) },
            ],
          },
          fail_idx: [],
        });
        for (let i = 0; i < 100 && !dev.posts().some((p) => p.body.includes("PUBLISHJOBFINISH")); i++)
          await new Promise((res) => setTimeout(res, 20));
        const events = dev
          .posts()
          .filter((p) => p.body.includes("PUBLISHJOBFINISH"))
          .map((p) => parseInbound(p.body));
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({
          Event: "PUBLISHJOBFINISH",
          PublishEventInfo: {
            publish_id: sub.publish_id,
            publish_status: 0,
            article_id: articleId,
            fail_idx: [],
          },
        });
        expect(code(await w.call(VV, "/cgi-bin/draft/get", { media_id: d.media_id }))).toBe(40007);
        expect(code(await w.call(VV, "/cgi-bin/freepublish/get", { publish_id: "1234567890" }))).toBe(53502);

        const url2 = (polled.article_detail as { item: { article_url: string }[] }).item[1]!.article_url;
        expect(await (await fetch(url2)).text()).toContain("News B body");
        expect(
          code(await w.call(VV, "/cgi-bin/freepublish/delete", { article_id: articleId, index: 3 })),
        ).toBe(40060);
        expect(await w.call(VV, "/cgi-bin/freepublish/delete", { article_id: articleId, index: 2 })).toEqual({
          errcode: 0,
          errmsg: "ok",
        });
        expect(await (await fetch(url2)).text()).toContain("此内容已被发布者删除");
        const art = (await w.call(VV, "/cgi-bin/freepublish/getarticle", { article_id: articleId })) as {
          news_item: { title: string; is_deleted: boolean }[];
        };
        expect(art.news_item.map((n) => [n.title, n.is_deleted])).toEqual([
          ["News A", false],
          ["News B", true],
        ]);
        const listed = await w.call(VV, "/cgi-bin/freepublish/batchget", {
          offset: 0,
          count: 10,
          no_content: 1,
        });
        expect(listed).toMatchObject({ total_count: 1, item_count: 1, item: [{ article_id: articleId }] });
        expect(await w.call(VV, "/cgi-bin/freepublish/delete", { article_id: articleId })).toEqual({
          errcode: 0,
          errmsg: "ok",
        });
        expect(
          (await w.call(VV, "/cgi-bin/freepublish/get", { publish_id: sub.publish_id })).publish_status,
        ).toBe(5);
        expect(code(await w.call(VV, "/cgi-bin/freepublish/getarticle", { article_id: "unknown" }))).toBe(
          53600,
        );
        expect(code(await w.call(VV, "/cgi-bin/freepublish/delete", { article_id: articleId }))).toBe(53600);
      });

      it("carries media bytes in a world export, into a fresh SQLite platform", async () => {
        const bytes = jpeg(4000, 77);
        const temp = await w.upload(VV, "/cgi-bin/media/upload?type=image", bytes, "t.jpg");
        const perm = await w.upload(VV, "/cgi-bin/material/add_material?type=image", bytes, "p.jpg");
        const world = await (await r.raw("/_mpstack/world")).json();
        const other = await start();
        try {
          const put = await other.raw("/_mpstack/world", {
            method: "PUT",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(world),
          });
          expect(put.status).toBe(200);
          const w2 = wechat(other);
          const res = await w2.get(VV, `/cgi-bin/media/get?media_id=${temp.media_id}`);
          expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
          const served = new URL(String(perm.url));
          const img = await fetch(other.url + served.pathname + served.search);
          expect(Buffer.from(await img.arrayBuffer()).equals(bytes)).toBe(true);
        } finally {
          await other.close();
        }
        // The same export as the world a platform starts from (`mpstack start --import`).
        const started = await start({ importWorld: world as never });
        try {
          const res = await wechat(started).get(VV, `/cgi-bin/media/get?media_id=${temp.media_id}`);
          expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
        } finally {
          await started.close();
        }
      });

      // Only PostgreSQL is shared by processes (a SQLite data folder belongs to one platform).
      if (backend.pg)
        it("shares blobs between two platform processes on one PostgreSQL schema", async () => {
          const url = pgUrlWithFreshSchema();
          const a = await start({ databaseUrl: url });
          const b = await start({ databaseUrl: url });
          try {
            const bytes = png(70_000, 42);
            const up = await wechat(a).upload(VV, "/cgi-bin/media/upload?type=image", bytes, "big.png");
            const res = await wechat(b).get(VV, `/cgi-bin/media/get?media_id=${up.media_id}`);
            expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
          } finally {
            await a.close();
            await b.close();
          }
        });
    },
  );
}
