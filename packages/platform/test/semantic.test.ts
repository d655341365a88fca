/**
 * semantic/semproxy/search over real HTTP (spec/semantic.md): the documented flight example, the
 * codes of §4 in their order, place-needing categories, per-user follow-ups, fixtures, the retired
 * switch and 48001 for account types without the row.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, PG_URL, type Running, start, tokenFor } from "./helpers.js";

const VV = "wxd000000000000004";
const VS = "wxd000000000000002";
const secret = (n: number) => `d${String(n).padStart(31, "0")}`;

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`semantic on ${backend.name}`, () => {
    let r: Running;
    let token: string;
    const search = async (body: unknown, t = token) =>
      (await r.post(`/semantic/semproxy/search?access_token=${t}`, body)).body as Record<string, unknown>;
    const base = { appid: VV, category: "flight,hotel", uid: "u1" };

    beforeAll(async () => {
      r = await start({ pg: backend.pg });
      token = await tokenFor(r, VV, secret(4));
    });
    afterAll(async () => {
      await r?.close();
    });

    it("parses the documented flight query, then a follow-up in context", async () => {
      const res = await search({ ...base, query: "查一下明天从北京到上海的南航机票", city: "北京" });
      expect(res).toMatchObject({
        errcode: 0,
        type: "flight",
        semantic: {
          intent: "SEARCH",
          details: {
            start_loc: { type: "LOC_CITY", city: "北京市", city_simple: "北京", loc_ori: "北京" },
            end_loc: { type: "LOC_CITY", city: "上海市", city_simple: "上海" },
            start_date: { type: "DT_ORI", date_ori: "明天" },
            airline: "中国南方航空公司",
          },
        },
      });
      const next = await search({ ...base, query: "那后天呢" });
      expect(next).toMatchObject({
        type: "flight",
        semantic: { details: { start_date: { date_ori: "后天" }, airline: "中国南方航空公司" } },
      });
      const noUid = await search({ appid: VV, category: "flight", query: "那后天呢" });
      expect(noUid.errcode).toBe(7000000);
    });

    it("answers §4's codes in order", async () => {
      expect((await search({ ...base, query: 1 })).errcode).toBe(7000011);
      expect((await search({ ...base, query: "天气", latitude: "39", longitude: 116 })).errcode).toBe(
        7000011,
      );
      expect((await search({ appid: VV, query: "机票" })).errcode).toBe(7000001);
      expect((await search({ ...base, query: "   " })).errcode).toBe(7000030);
      expect((await search({ ...base, query: "机".repeat(301) })).errcode).toBe(7000031);
      expect((await search({ ...base, appid: VS, query: "机票" })).errcode).toBe(7000008);
      expect((await search({ ...base, category: "nonsense", query: "机票" })).errcode).toBe(7000001);
      expect(
        (await search({ ...base, category: "weather", query: "天气怎么样", latitude: 99, longitude: 10 }))
          .errcode,
      ).toBe(7000005);
      expect((await search({ ...base, category: "weather", query: "天气怎么样" })).errcode).toBe(7000032);
      expect((await search({ ...base, category: "weather", query: "你好" })).errcode).toBe(7000000);
      const weather = await search({ ...base, category: "weather", query: "明天天气怎么样", city: "广州" });
      expect(weather).toMatchObject({
        errcode: 0,
        type: "weather",
        semantic: { details: { location: { city: "广州市" }, datetime: { date_ori: "明天" } } },
      });
    });

    it("fixtures answer as registered; retired answers 7000009; other account types get 48001", async () => {
      const put = (body: unknown) =>
        r.raw(`/_mpstack/accounts/${VV}/semantic`, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      await put({
        fixtures: {
          唱首歌: { errcode: 0, query: "唱首歌", type: "music", semantic: { details: {}, intent: "PLAY" } },
        },
      });
      expect((await search({ ...base, category: "music", query: "唱首歌" })).type).toBe("music");
      await put({ retired: true });
      expect((await search({ ...base, query: "北京到上海机票" })).errcode).toBe(7000009);
      await put({ retired: false });
      const vs = await tokenFor(r, VS, secret(2));
      expect((await search({ ...base, appid: VS, query: "机票" }, vs)).errcode).toBe(48001);
    });
  });
}
