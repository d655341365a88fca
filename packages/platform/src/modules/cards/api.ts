/** The card endpoints of the catalog (spec/applied-features.md §3.2), with §3.5's codes. */
import { randomBytes } from "node:crypto";
import { catalog, ErrorCode } from "@mpstack/protocol";
import { ok, WechatApiError } from "../../http/errors.js";
import { QR_URL_PREFIX } from "../qrcode/index.js";
import { findByOpenid } from "../simulated-users/index.js";
import { type CardsContext, consumable, pushCardEvent } from "./claim.js";
import {
  cardBody,
  changeStock,
  codesOfUser,
  depositedCount,
  getCode,
  insertCard,
  listCards,
  putCode,
  requireCard,
  setCardStatus,
  setCodeStatus,
  setWhitelist,
  updateCardBody,
} from "./store.js";
import { decryptCode, validateCard } from "./validate.js";

const CODE_FIELDS = {
  fieldCodes: {
    missing: { code: ErrorCode.MissingCode, card_id: ErrorCode.MissingCardId },
    invalid: { code: ErrorCode.InvalidSerialCode, card_id: ErrorCode.InvalidCardId },
  },
};
const CARD_FIELDS = {
  fieldCodes: {
    missing: { card_id: ErrorCode.MissingCardId },
    invalid: { card_id: ErrorCode.InvalidCardId },
  },
};
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A claimed code of the account (40056 otherwise); custom-code cards need their card_id (41012). */
async function codeOf(ctx: CardsContext, appid: string, code: string, cardId?: string) {
  const c = await getCode(ctx.db, appid, code);
  if (!c || c.status === "DEPOSITED") throw new WechatApiError(ErrorCode.InvalidSerialCode);
  if (cardId !== undefined && cardId !== c.card_id) throw new WechatApiError(ErrorCode.InvalidSerialCode);
  const card = await requireCard(ctx.db, appid, c.card_id);
  if (card.use_custom_code === 1 && cardId === undefined) throw new WechatApiError(ErrorCode.MissingCardId);
  return { code: c, card };
}

export function implementCardApi(ctx: CardsContext): void {
  const c = catalog.card;
  ctx.implement(c.create, async (call) => {
    const def = validateCard(call.input.card);
    const card = await insertCard(ctx, call.account.appid, call.input.card, def);
    return ok({ card_id: card.card_id });
  });
  ctx.implement(
    c.get,
    async (call) => {
      const card = await requireCard(ctx.db, call.account.appid, call.input.card_id);
      const body = cardBody(card);
      const typed = body[card.card_type.toLowerCase()];
      const base = isObject(typed) && isObject(typed.base_info) ? typed.base_info : {};
      const sku = { quantity: card.quantity, total_quantity: card.total_quantity };
      const withStatus = {
        ...body,
        [card.card_type.toLowerCase()]: {
          ...(isObject(typed) ? typed : {}),
          base_info: { ...base, id: card.card_id, status: card.status, sku },
        },
      };
      return ok({ card: withStatus as { card_type: string } });
    },
    CARD_FIELDS,
  );
  ctx.implement(c.batchGet, async (call) => {
    const all = await listCards(ctx.db, call.account.appid, call.input.status_list);
    const page = all.slice(call.input.offset, call.input.offset + call.input.count);
    return ok({ card_id_list: page.map((x) => x.card_id), total_num: all.length });
  });
  ctx.implement(
    c.update,
    async (call) => {
      const card = await requireCard(ctx.db, call.account.appid, call.input.card_id, true);
      const key = card.card_type.toLowerCase();
      const change = (call.input as Record<string, unknown>)[key];
      const body = cardBody(card);
      if (isObject(change) && isObject(body[key])) {
        const typed = body[key] as Record<string, unknown>;
        const base = {
          ...(isObject(typed.base_info) ? typed.base_info : {}),
          ...(isObject(change.base_info) ? change.base_info : {}),
        };
        body[key] = { ...typed, ...change, base_info: base };
        await updateCardBody(ctx.db, card.card_id, body);
      }
      return ok({ send_check: false });
    },
    CARD_FIELDS,
  );
  ctx.implement(
    c.delete,
    async (call) => {
      const card = await requireCard(ctx.db, call.account.appid, call.input.card_id, true);
      await setCardStatus(ctx.db, card.card_id, "CARD_STATUS_DELETE");
      return ok();
    },
    CARD_FIELDS,
  );
  ctx.implement(
    c.modifyStock,
    async (call) => {
      const card = await requireCard(ctx.db, call.account.appid, call.input.card_id, true);
      const delta = (call.input.increase_stock_value ?? 0) - (call.input.reduce_stock_value ?? 0);
      if (card.total_quantity + Math.max(delta, 0) > 100_000_000)
        throw new WechatApiError(ErrorCode.StockOutOfLimit);
      await changeStock(ctx.db, card, delta);
      return ok();
    },
    CARD_FIELDS,
  );
  ctx.implement(c.createQrcode, async (call) => {
    const action = call.input.action_name;
    const info = call.input.action_info as Record<string, unknown>;
    const expire = call.input.expire_seconds;
    if (expire !== undefined && (expire < 60 || expire > 1800))
      throw new WechatApiError(ErrorCode.InvalidActionInfo);
    let list: unknown[];
    if (action === "QR_CARD" && isObject(info.card)) list = [info.card];
    else if (
      action === "QR_MULTIPLE_CARD" &&
      isObject(info.multiple_card) &&
      Array.isArray(info.multiple_card.card_list)
    ) {
      list = info.multiple_card.card_list;
      if (list.length === 0 || list.length > 5) throw new WechatApiError(ErrorCode.CardListSizeOutOfLimit);
    } else throw new WechatApiError(ErrorCode.InvalidActionInfo);
    const cards = [];
    for (const item of list) {
      if (!isObject(item) || typeof item.card_id !== "string")
        throw new WechatApiError(ErrorCode.MissingCardId);
      await requireCard(ctx.db, call.account.appid, item.card_id, true);
      cards.push({
        card_id: item.card_id,
        ...(typeof item.code === "string" ? { code: item.code } : {}),
        ...(typeof item.openid === "string" ? { openid: item.openid } : {}),
        ...(typeof item.outer_str === "string" ? { outer_str: item.outer_str } : {}),
        is_unique_code: item.is_unique_code === true,
      });
    }
    const now = call.now;
    const seconds = expire ?? 365 * 86_400;
    const ticket = `gQ${randomBytes(36).toString("base64url")}`;
    const token = randomBytes(12).toString("base64url");
    await ctx.db
      .insertInto("card_qrcodes")
      .values({
        ticket,
        appid: call.account.appid,
        url_token: token,
        cards: JSON.stringify(cards),
        expire_at: now + seconds * 1000,
        used: 0,
        created_at: now,
      })
      .execute();
    const showUrl = `${ctx.runtime.url}/cgi-bin/showqrcode?ticket=${encodeURIComponent(ticket)}`;
    return ok({ ticket, expire_seconds: seconds, url: QR_URL_PREFIX + token, show_qrcode_url: showUrl });
  });
  ctx.implement(c.setTestWhitelist, async (call) => {
    const openids = [...(call.input.openid ?? [])];
    for (const o of openids) {
      if (!(await findByOpenid(ctx.db, call.account.appid, o)))
        throw new WechatApiError(ErrorCode.InvalidOpenId);
    }
    for (const name of call.input.username ?? []) {
      const f = await ctx.db
        .selectFrom("follows")
        .select("openid")
        .where("appid", "=", call.account.appid)
        .where("user_id", "=", name)
        .executeTakeFirst();
      if (f) openids.push(f.openid);
    }
    await setWhitelist(ctx.db, call.account.appid, openids);
    return ok();
  });
  ctx.implement(c.decryptCode, async (call) =>
    ok({ code: decryptCode(call.account.appid, call.input.encrypt_code) }),
  );
  ctx.implement(
    c.getCode,
    async (call) => {
      const { code, card } = await codeOf(ctx, call.account.appid, call.input.code, call.input.card_id);
      let canConsume = true;
      try {
        consumable(code, card, call.now);
      } catch (err) {
        if (call.input.check_consume) throw err;
        canConsume = false;
      }
      const status = code.status === "NORMAL" && call.now >= code.end_at ? "EXPIRE" : code.status;
      return ok({
        card: {
          card_id: card.card_id,
          begin_time: Math.floor(code.begin_at / 1000),
          end_time: Math.floor(code.end_at / 1000),
        },
        openid: code.openid,
        can_consume: canConsume,
        user_card_status: status,
      });
    },
    CODE_FIELDS,
  );
  ctx.implement(
    c.consumeCode,
    async (call) => {
      const { code, card } = await codeOf(ctx, call.account.appid, call.input.code, call.input.card_id);
      consumable(code, card, call.now);
      await setCodeStatus(ctx.db, call.account.appid, code.code, "CONSUMED", call.now);
      await pushCardEvent(ctx, call.account, code.user_id, code.openid, "user_consume_card", {
        CardId: card.card_id,
        UserCardCode: code.code,
        ConsumeSource: "FROM_API",
        LocationName: "",
        StaffOpenId: "",
        VerifyCode: "",
        RemarkAmount: "",
        OuterStr: code.outer_str,
      });
      return ok({ card: { card_id: card.card_id }, openid: code.openid });
    },
    CODE_FIELDS,
  );
  ctx.implement(
    c.unavailableCode,
    async (call) => {
      const { code } = await codeOf(ctx, call.account.appid, call.input.code, call.input.card_id);
      if (code.status !== "NORMAL") throw new WechatApiError(ErrorCode.InvalidUserCardStatus);
      await setCodeStatus(ctx.db, call.account.appid, code.code, "UNAVAILABLE", call.now);
      return ok();
    },
    CODE_FIELDS,
  );
  ctx.implement(
    c.depositCode,
    async (call) => {
      const card = await requireCard(ctx.db, call.account.appid, call.input.card_id, true);
      if (card.use_custom_code !== 1) throw new WechatApiError(ErrorCode.CustomCodeUnauthorized);
      if (call.input.code.length > 100) throw new WechatApiError(ErrorCode.TooManyCodes);
      const succ: string[] = [];
      const duplicate: string[] = [];
      const failed: string[] = [];
      for (const code of call.input.code) {
        if (!/^[0-9A-Za-z]{1,20}$/.test(code)) failed.push(code);
        else if (await getCode(ctx.db, call.account.appid, code)) duplicate.push(code);
        else {
          await putCode(ctx.db, {
            appid: call.account.appid,
            code,
            card_id: card.card_id,
            user_id: "",
            openid: "",
            status: "DEPOSITED",
            outer_str: "",
            begin_at: 0,
            end_at: 0,
            received_at: null,
            consumed_at: null,
          });
          succ.push(code);
        }
      }
      return ok({ succ_code: succ, duplicate_code: duplicate, fail_code: failed });
    },
    CARD_FIELDS,
  );
  ctx.implement(
    c.getDepositCount,
    async (call) => {
      const card = await requireCard(ctx.db, call.account.appid, call.input.card_id);
      return ok({ count: await depositedCount(ctx.db, card.card_id) });
    },
    CARD_FIELDS,
  );
  ctx.implement(
    c.checkCode,
    async (call) => {
      const card = await requireCard(ctx.db, call.account.appid, call.input.card_id);
      if (call.input.code.length > 100) throw new WechatApiError(ErrorCode.TooManyCodes);
      const exist: string[] = [];
      const missing: string[] = [];
      for (const code of call.input.code) {
        const found = await getCode(ctx.db, call.account.appid, code);
        (found?.card_id === card.card_id ? exist : missing).push(code);
      }
      return ok({ exist_code: exist, not_exist_code: missing });
    },
    CARD_FIELDS,
  );
  ctx.implement(c.getUserCardList, async (call) => {
    if (!(await findByOpenid(ctx.db, call.account.appid, call.input.openid)))
      throw new WechatApiError(ErrorCode.InvalidOpenId);
    const codes = await codesOfUser(
      ctx.db,
      call.account.appid,
      call.input.openid,
      call.input.card_id || undefined,
    );
    return ok({
      card_list: codes
        .filter((x) => x.status === "NORMAL")
        .map((x) => ({ code: x.code, card_id: x.card_id })),
      has_share_card: false,
    });
  });
}
