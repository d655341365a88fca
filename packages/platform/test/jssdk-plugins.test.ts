/**
 * The JS-SDK module's plug-in points: `registerApi` answers a bridge API once the page config,
 * jsApiList, permission row and grant have passed. Checked on a platform without the applied
 * modules (pay, cards, shop and invoice, which needs cards), where a test module plays pay's part
 * and the card APIs, with no module to answer them, fail (`access denied` first without the
 * grant). jssdk-applied.test.ts checks the real modules' answers. Page uploads are the materials
 * module's temporary media, which media/get serves.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineModule } from "../src/module.js";
import { modules } from "../src/modules/index.js";
import { type BridgeHandler, ok } from "../src/modules/jssdk/index.js";
import { BACKENDS, PG_URL, type Running, start, tokenFor } from "./helpers.js";
import { bridgePage, bridgeTokenOf, browseAs, VV } from "./web-helpers.js";

const PAGE = "http://127.0.0.1:3000/pay";
const seen: string[] = [];

const payHandler: BridgeHandler = async (call) => {
  seen.push(`${call.account?.appid} ${call.user.id} ${String(call.args.package)}`);
  return { result: ok(call.name) };
};

const testPay = defineModule({
  name: "test-pay",
  requires: ["jssdk"],
  setup(ctx) {
    ctx.services.jssdk.registerApi("getBrandWCPayRequest", payHandler);
  },
});

for (const backend of BACKENDS) {
  describe.skipIf(backend.pg && !PG_URL)(`jssdk plug-in points (${backend.name})`, () => {
    let r: Running;
    let page: ReturnType<typeof bridgePage>;
    beforeAll(async () => {
      const applied = new Set(["pay", "cards", "shop", "invoice"]);
      r = await start({ pg: backend.pg, modules: [...modules.filter((m) => !applied.has(m.name)), testPay] });
      page = bridgePage(r, await bridgeTokenOf(r, await browseAs(r, "alice")), PAGE);
      const c = (await r.post(`/_mpstack/accounts/${VV.appid}/jssdk/signature`, { url: PAGE })).body as {
        appId: string;
        timestamp: number;
        nonceStr: string;
        signature: string;
      };
      expect(await page.config({ ...c, jsApiList: ["chooseWXPay", "addCard", "uploadImage"] })).toBe(
        "config:ok",
      );
    });
    afterAll(() => r?.close());

    it("a registered API answers after the checks; unregistered applied APIs fail; no grant, no call", async () => {
      seen.length = 0;
      const paid = await page.invoke("getBrandWCPayRequest", { appId: VV.appid, package: "prepay_id=wx1" });
      expect(paid.r.err_msg).toBe("getBrandWCPayRequest:ok");
      expect(seen).toEqual([`${VV.appid} alice prepay_id=wx1`]);
      // The demo verified service account has the pay grant but not the card grant.
      expect((await page.invoke("batchAddCard", { card_list: [] })).r.err_msg).toBe("system:access_denied");
      await r.raw(`/_mpstack/accounts/${VV.appid}?handshake=false`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ grants: ["card"] }),
      });
      expect((await page.invoke("batchAddCard", { card_list: [] })).r.err_msg).toBe(
        "batchAddCard:fail, mpstack has no implementation of this API yet",
      );
      expect((await page.invoke("getBrandWCPayRequest", { appId: VV.appid })).r.err_msg).toBe(
        "system:access_denied",
      );
      expect(seen).toHaveLength(1);
    });

    it("page uploads are temporary media: media/get serves them", async () => {
      const gif = Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00;", "latin1");
      const up = await page.invoke(
        "uploadImage",
        { localId: "l1" },
        { d: { data: gif.toString("base64"), type: "image/gif" } },
      );
      expect(up.r).toMatchObject({ err_msg: "uploadImage:ok", serverId: expect.any(String) });
      const at = await tokenFor(r, VV.appid, VV.secret);
      const file = await r.raw(`/cgi-bin/media/get?access_token=${at}&media_id=${String(up.r.serverId)}`);
      expect(file.headers.get("content-type")).toBe("image/gif");
      expect(Buffer.from(await file.arrayBuffer()).equals(gif)).toBe(true);
    });
  });
}
