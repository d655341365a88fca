/**
 * Invoices (微信发票, spec/applied-features.md §5): the merchant's settings and authorisation URL, the
 * simulated user's consent on the authorisation page (user_authorize_invoice pushed), the auth
 * data, refusal to issue, the invoicing platform's invoice card and insert into the user's card
 * package, status updates (update_invoice_status) and the reimbursing party's view, with the
 * 720xx codes. The authorisation `ticket` is a card api_ticket (the cards module's).
 */
import { randomBytes, randomInt } from "node:crypto";
import { catalog, ErrorCode } from "@mpstack/protocol";
import { Type } from "@sinclair/typebox";
import type { Account } from "../../account.js";
import { ok, WechatApiError } from "../../http/errors.js";
import { defineModule, type ModuleContext } from "../../module.js";
import { getAccount } from "../accounts/index.js";
import { decryptCode, encryptCode, pushAccountEvent } from "../cards/index.js";
import { requireUser, unionidOf } from "../simulated-users/index.js";
import { AUTH_PATH, addAuthPage, answerAuth } from "./auth-page.js";
import {
  authOf,
  type InvoiceAuthTable,
  invoiceMigrations,
  saveSettings,
  settingsOf,
  sPappidOf,
} from "./store.js";

type Ctx = ModuleContext<"accounts" | "simulated-users" | "push" | "web-identity" | "cards">;

const AUTH_MS = 2 * 3600_000;
const REIMBURSE = ["INVOICE_REIMBURSE_INIT", "INVOICE_REIMBURSE_LOCK", "INVOICE_REIMBURSE_CLOSURE"];
const fail = (code: number): never => {
  throw new WechatApiError(code);
};
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const pushEvent = pushAccountEvent;

async function platformAccount(ctx: Ctx, account: Account): Promise<void> {
  if (!(await settingsOf(ctx.db, account.appid)).platform) fail(ErrorCode.InvoiceCreateUnauthorized);
}

export const invoiceModule = defineModule({
  name: "invoice",
  requires: ["accounts", "simulated-users", "push", "web-identity", "cards"],
  migrations: invoiceMigrations,
  setup(ctx) {
    const i = catalog.invoice;
    ctx.implement(i.setBizAttr, async (call) => {
      const s = await settingsOf(ctx.db, call.account.appid);
      const field = { auth_field: "auth_field", pay_mch: "paymch_info", contact: "contact" } as const;
      const [verb, ...rest] = call.input.action.split("_");
      const key = field[rest.join("_") as keyof typeof field];
      if (!key || (verb !== "set" && verb !== "get")) fail(ErrorCode.InvalidArgs);
      if (verb === "get") return ok(s[key] ? { [key]: s[key] } : {});
      const value = call.input[key];
      if (!isObject(value)) fail(ErrorCode.MissingRequiredFields);
      await saveSettings(ctx.db, call.account.appid, { ...s, [key]: value });
      return ok();
    });
    ctx.implement(i.setUrl, async (call) => {
      await saveSettings(ctx.db, call.account.appid, {
        ...(await settingsOf(ctx.db, call.account.appid)),
        platform: true,
      });
      return ok({
        invoice_url: `${ctx.runtime.url}/_mpstack/invoice/platform?s_pappid=${sPappidOf(call.account.appid)}`,
      });
    });
    ctx.implement(i.getAuthUrl, async (call) => {
      const { input, account } = call;
      const s = await settingsOf(ctx.db, account.appid);
      if (!s.paymch_info) fail(ErrorCode.PayMchNeverSet);
      if ((input.type ?? 0) === 1 && !s.auth_field) fail(ErrorCode.AuthFieldNeverSet);
      const tickets = await ctx.services.cards.validApiTickets(account.appid);
      if (!tickets.includes(input.ticket)) throw new WechatApiError(ErrorCode.InvalidArgs, "invalid ticket");
      const existing = await authOf(ctx.db, account.appid, input.order_id);
      if (existing) {
        if (Number(existing.money) !== input.money || existing.s_pappid !== input.s_pappid)
          fail(ErrorCode.InvoiceOrderIdRepeated);
        return ok({ auth_url: ctx.runtime.url + AUTH_PATH + "/" + existing.token });
      }
      const token = randomBytes(18).toString("base64url");
      await ctx.db
        .insertInto("invoice_auths")
        .values({
          token,
          appid: account.appid,
          s_pappid: input.s_pappid,
          order_id: input.order_id,
          money: input.money,
          source: input.source,
          type: input.type ?? 0,
          redirect_url: input.redirect_url ?? "",
          status: "pending",
          user_id: "",
          openid: "",
          auth_info: "{}",
          auth_time: null,
          expires_at: call.now + AUTH_MS,
          created_at: call.now,
        })
        .execute();
      return ok({ auth_url: `${ctx.runtime.url}${AUTH_PATH}/${token}` });
    });
    const authorized = async (appid: string, orderId: string) => {
      const a = await authOf(ctx.db, appid, orderId);
      if (!a || a.status === "pending" || a.status === "refused") fail(ErrorCode.OrderNeverAuthorised);
      return a as InvoiceAuthTable;
    };
    ctx.implement(i.getAuthData, async (call) => {
      const a = await authOf(ctx.db, call.account.appid, call.input.order_id);
      if (!a || a.s_pappid !== call.input.s_pappid) return fail(ErrorCode.OrderNeverAuthorised);
      if (a.status === "pending" && call.now >= Number(a.expires_at)) fail(ErrorCode.InvoiceAuthExpired);
      if (a.status === "pending" || a.status === "refused") fail(ErrorCode.InvoiceNeverAuth);
      return ok({
        invoice_status: "auth success",
        auth_time: Math.floor(Number(a.auth_time) / 1000),
        user_auth_info: JSON.parse(a.auth_info),
      });
    });
    ctx.implement(i.rejectInsert, async (call) => {
      const a = await authorized(call.account.appid, call.input.order_id);
      if (a.status === "inserted") fail(ErrorCode.DuplicateInvoiceOrder);
      await ctx.db
        .updateTable("invoice_auths")
        .set({ status: "rejected" })
        .where("token", "=", a.token)
        .execute();
      return ok();
    });
    ctx.implement(i.createCard, async (call) => {
      await platformAccount(ctx, call.account);
      const info = call.input.invoice_info;
      if (!isObject(info.base_info) || typeof info.payee !== "string" || typeof info.type !== "string")
        fail(ErrorCode.MissingRequiredFields);
      const card_id = `p${randomBytes(20).toString("base64url").slice(0, 27)}`;
      await ctx.db
        .insertInto("invoice_cards")
        .values({ card_id, appid: call.account.appid, info: JSON.stringify(info) })
        .execute();
      return ok({ card_id });
    });
    ctx.implement(i.insert, async (call) => {
      await platformAccount(ctx, call.account);
      const { input } = call;
      const card = await ctx.db
        .selectFrom("invoice_cards")
        .selectAll()
        .where("card_id", "=", input.card_id)
        .executeTakeFirst();
      if (!card || card.appid !== call.account.appid) fail(ErrorCode.InvalidCardId);
      const a = await authorized(input.appid, input.order_id);
      if (a.status === "inserted" || a.status === "rejected") fail(ErrorCode.DuplicateInvoiceOrder);
      const userCard = isObject(input.card_ext.user_card) ? input.card_ext.user_card : {};
      const data = isObject(userCard.invoice_user_data) ? userCard.invoice_user_data : undefined;
      if (!data) return fail(ErrorCode.MissingRequiredFields);
      for (const f of ["fee", "title", "billing_time", "billing_no", "billing_code"])
        if (data[f] === undefined) fail(ErrorCode.MissingRequiredFields);
      if (typeof data.title !== "string" || data.title.trim() === "") fail(ErrorCode.InvalidInvoiceTitle);
      const code = `${randomInt(100_000, 999_999)}${randomInt(100_000, 999_999)}`;
      await ctx.db
        .insertInto("invoices")
        .values({
          card_id: input.card_id,
          code,
          appid: call.account.appid,
          order_id: input.order_id,
          user_id: a.user_id,
          openid: a.openid,
          data: JSON.stringify(data),
          reimburse_status: "INVOICE_REIMBURSE_INIT",
          created_at: call.now,
        })
        .execute();
      await ctx.db
        .updateTable("invoice_auths")
        .set({ status: "inserted" })
        .where("token", "=", a.token)
        .execute();
      const merchant = await getAccount(ctx.db, input.appid);
      const unionid = merchant ? await unionidOf(ctx, merchant, a.user_id) : null;
      return ok({ code, openid: a.openid, ...(unionid ? { unionid } : {}) });
    });
    const invoiceOf = async (cardId: string, code: string) =>
      (await ctx.db
        .selectFrom("invoices")
        .selectAll()
        .where("card_id", "=", cardId)
        .where("code", "=", code)
        .executeTakeFirst()) ?? fail(ErrorCode.InvalidSerialCode);
    const setStatus = async (
      inv: { card_id: string; code: string; reimburse_status: string },
      next: string,
    ) => {
      if (!REIMBURSE.includes(next)) fail(ErrorCode.InvalidArgs);
      if (inv.reimburse_status === "INVOICE_REIMBURSE_CLOSURE") fail(ErrorCode.InvoiceStatusError);
      if (inv.reimburse_status === "INVOICE_REIMBURSE_LOCK" && next === "INVOICE_REIMBURSE_LOCK")
        fail(ErrorCode.InvoiceLockedByOthers);
      await ctx.db
        .updateTable("invoices")
        .set({ reimburse_status: next })
        .where("card_id", "=", inv.card_id)
        .where("code", "=", inv.code)
        .execute();
    };
    ctx.implement(i.updateStatus, async (call) => {
      const inv = await invoiceOf(call.input.card_id, call.input.code);
      if (inv.appid !== call.account.appid) fail(ErrorCode.InvalidCardId);
      await setStatus(inv, call.input.reimburse_status);
      const auth = await ctx.db
        .selectFrom("invoice_auths")
        .selectAll()
        .where("order_id", "=", inv.order_id)
        .executeTakeFirst();
      const merchant = auth && (await getAccount(ctx.db, auth.appid));
      if (merchant) {
        await pushEvent(ctx, merchant, inv.user_id, inv.openid, "update_invoice_status", {
          Status: call.input.reimburse_status,
          CardId: inv.card_id,
          Code: inv.code,
        });
      }
      return ok();
    });
    const byEncrypted = async (cardId: string, encrypted: string) => {
      const card = await ctx.db
        .selectFrom("invoice_cards")
        .selectAll()
        .where("card_id", "=", cardId)
        .executeTakeFirst();
      if (!card) return fail(ErrorCode.InvalidCardId);
      return invoiceOf(cardId, decryptCode(card.appid, encrypted));
    };
    ctx.implement(i.getInvoiceInfo, async (call) => {
      const inv = await byEncrypted(call.input.card_id, call.input.encrypt_code);
      const card = await ctx.db
        .selectFrom("invoice_cards")
        .selectAll()
        .where("card_id", "=", inv.card_id)
        .executeTakeFirstOrThrow();
      const info = JSON.parse(card.info) as { payee: string; type: string; detail?: string };
      const t = Math.floor(Number(inv.created_at) / 1000);
      return ok({
        card_id: inv.card_id,
        begin_time: t,
        end_time: t + 5 * 365 * 86_400,
        openid: inv.openid,
        type: info.type,
        payee: info.payee,
        detail: info.detail ?? "",
        user_info: { ...JSON.parse(inv.data), reimburse_status: inv.reimburse_status },
      });
    });
    ctx.implement(i.updateInvoiceStatus, async (call) => {
      const inv = await byEncrypted(call.input.card_id, call.input.encrypt_code);
      await setStatus(inv, call.input.reimburse_status);
      return ok();
    });

    addAuthPage(ctx);
    ctx.simulator.route({
      method: "GET",
      url: "/users/:user/invoices",
      tag: "invoice",
      summary: "The invoices in a user's card package, with the encrypt_code a reimbursing party receives.",
      params: Type.Object({ user: Type.String() }),
      handler: async ({ params }) => {
        await requireUser(ctx.db, params.user);
        const rows = await ctx.db
          .selectFrom("invoices")
          .selectAll()
          .where("user_id", "=", params.user)
          .orderBy("created_at")
          .execute();
        return {
          invoices: rows.map((r) => ({
            cardId: r.card_id,
            code: r.code,
            orderId: r.order_id,
            encryptCode: encryptCode(r.appid, r.code),
            reimburseStatus: r.reimburse_status,
            data: JSON.parse(r.data),
          })),
        };
      },
    });
    ctx.simulator.route({
      method: "POST",
      url: "/users/:user/invoice-auth",
      tag: "invoice",
      summary:
        "The user answers an invoice authorisation page (auth_url) without a browser: accept with title fields, or refuse.",
      params: Type.Object({ user: Type.String() }),
      body: Type.Object({
        authUrl: Type.String({ maxLength: 2048 }),
        accept: Type.Boolean(),
        fields: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 200 }))),
      }),
      handler: async ({ params, body }) => {
        await requireUser(ctx.db, params.user);
        const token = body.authUrl.split(`${AUTH_PATH}/`)[1]?.split(/[?#]/)[0] ?? "";
        const r = await answerAuth(ctx, token, params.user, body.accept, body.fields ?? {});
        if (typeof r === "string") return { ok: false, reason: r };
        return { ok: true, redirect: r };
      },
    });
  },
});
