/**
 * The pay module's simulator routes (merchant keys and settings, orders, refunds, notification
 * attempts with deliver-now / drop / duplicate, fault injection, starting and answering a payment as
 * a simulated user) and the pay sheet's page routes (outside the simulator's guard: the browsing
 * user's cookie is the credential, as on WeChat's own pages).
 */
import { Type } from "@sinclair/typebox";
import { acceptForms } from "../../http/forms.js";
import { badRequest, notFound } from "../../http/simulator.js";
import { requireAccount } from "../accounts/index.js";
import { requireUser } from "../simulated-users/index.js";
import { PAY_ERROR_NAMES, type PayErrorName } from "./errors.js";
import { PAY_OPERATIONS, type PayOperation } from "./faults.js";
import { DEFAULT_PAY_SETTINGS, merchantView, updateMerchant } from "./merchant.js";
import { listNotifications } from "./notify-views.js";
import { findRefunds, listOrders } from "./orders.js";
import type { PayRuntime } from "./runtime.js";
import type { PaySheets } from "./sheet.js";
import { v3Refund, v3Transaction } from "./views.js";

const AppidParams = Type.Object({ appid: Type.String() });

const Settings = Type.Object({
  notifyScheduleSeconds: Type.Optional(
    Type.Array(Type.Integer({ minimum: 0, maximum: 86_400 }), { maxItems: 50 }),
  ),
  notifyTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60_000 })),
  refundDelaySeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 * 86_400 })),
  closeMinSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
  prepaySeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 86_400 })),
  orderExpireSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 86_400 })),
  payDirectories: Type.Optional(Type.Array(Type.String({ maxLength: 512 }), { maxItems: 20 })),
  v3TimestampSkewSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
});

export function addPayRoutes(rt: PayRuntime, sheets: PaySheets): void {
  const { ctx } = rt;
  const sim = ctx.simulator;
  const merchantOf = async (appid: string) => {
    await requireAccount(ctx.db, appid);
    const m = await rt.byAppid(appid);
    if (!m) throw notFound(`merchant of ${appid} (the account needs the pay grant)`);
    return m;
  };

  sim.route({
    method: "GET",
    url: "/accounts/:appid/merchant",
    tag: "pay",
    summary:
      "The account's simulated merchant: mch_id, API v2 key, APIv3 key, merchant key and certificate serial, platform certificate, settings.",
    params: AppidParams,
    handler: async ({ params }) => merchantView(await merchantOf(params.appid)),
  });
  sim.route({
    method: "PATCH",
    url: "/accounts/:appid/merchant",
    tag: "pay",
    summary: `Change the merchant's keys or settings (defaults: ${JSON.stringify(DEFAULT_PAY_SETTINGS)}).`,
    params: AppidParams,
    body: Type.Object({
      apiKey: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9]{32}$" })),
      apiV3Key: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9]{32}$" })),
      settings: Type.Optional(Settings),
    }),
    handler: async ({ params, body }) => {
      const m = await merchantOf(params.appid);
      await updateMerchant(ctx, m, body);
      return merchantView(await merchantOf(params.appid));
    },
  });
  sim.route({
    method: "GET",
    url: "/pay/orders",
    tag: "pay",
    summary: "Orders, newest first (state as the query APIs show it, refunds included).",
    query: Type.Object({
      appid: Type.Optional(Type.String()),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    }),
    handler: async ({ query }) => {
      const orders = await listOrders(ctx.db, query, ctx.clock.now());
      return {
        orders: await Promise.all(
          orders.map(async (o) => ({
            ...v3Transaction(o),
            api: o.api,
            prepayId: o.prepay_id,
            notifyUrl: o.notify_url,
            user: o.user_id,
            createdAt: o.created_at,
            refunds: (await findRefunds(ctx.db, o.mch_id, { transactionId: o.transaction_id })).map(v3Refund),
          })),
        ),
      };
    },
  });
  sim.route({
    method: "GET",
    url: "/pay/notifications",
    tag: "pay",
    summary: "Payment and refund notifications with every attempt (headers, answer, outcome), newest first.",
    query: Type.Object({
      appid: Type.Optional(Type.String()),
      ref: Type.Optional(Type.String({ description: "transaction_id or refund_id" })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    }),
    handler: async ({ query }) => ({ notifications: await listNotifications(ctx.db, query) }),
  });
  sim.route({
    method: "POST",
    url: "/pay/notifications/:id/:action",
    tag: "pay",
    summary: "deliver (send a pending notification now), drop (stop retrying) or duplicate (send it again).",
    params: Type.Object({
      id: Type.String(),
      action: Type.Union([Type.Literal("deliver"), Type.Literal("drop"), Type.Literal("duplicate")]),
    }),
    handler: async ({ params }) => {
      if (params.action === "duplicate") {
        const id = await rt.notifier.duplicate(params.id);
        if (!id) throw notFound(`notification ${params.id}`);
        return { id };
      }
      const done =
        params.action === "deliver"
          ? await rt.notifier.deliverNow(params.id)
          : await rt.notifier.drop(params.id);
      if (!done) throw badRequest(`notification ${params.id} is not pending`);
      return { ok: true };
    },
  });
  sim.route({
    method: "POST",
    url: "/accounts/:appid/merchant/faults",
    tag: "pay",
    summary:
      "Queue an error that the next call(s) of one operation answer (order, query, close, refund, refundquery).",
    params: AppidParams,
    body: Type.Object({
      operation: Type.Union(PAY_OPERATIONS.map((o) => Type.Literal(o))),
      error: Type.Union(PAY_ERROR_NAMES.map((e) => Type.Literal(e))),
      times: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    }),
    handler: async ({ params, body }) => {
      const m = await merchantOf(params.appid);
      rt.faults.add(m.mchId, body.operation as PayOperation, body.error as PayErrorName, body.times ?? 1);
      return { faults: rt.faults.list(m.mchId) };
    },
  });
  sim.route({
    method: "POST",
    url: "/users/:user/pay",
    tag: "pay",
    summary:
      "The user's page calls getBrandWCPayRequest / chooseWXPay with these parameters: checks them and opens a pay session (answers the sheet URL, or the errMsg the page would get).",
    params: Type.Object({ user: Type.String() }),
    body: Type.Object({
      params: Type.Object({
        appId: Type.Optional(Type.String()),
        timeStamp: Type.Optional(Type.Union([Type.String(), Type.Integer()])),
        timestamp: Type.Optional(Type.Union([Type.String(), Type.Integer()])),
        nonceStr: Type.Optional(Type.String()),
        package: Type.Optional(Type.String()),
        signType: Type.Optional(Type.String()),
        paySign: Type.Optional(Type.String()),
      }),
      via: Type.Optional(Type.Union([Type.Literal("getBrandWCPayRequest"), Type.Literal("chooseWXPay")])),
      pageUrl: Type.Optional(Type.String({ maxLength: 4096 })),
      configAppId: Type.Optional(Type.String()),
    }),
    handler: async ({ params, body }) => {
      await requireUser(ctx.db, params.user);
      const r = await sheets.start({
        userId: params.user,
        via: body.via ?? "getBrandWCPayRequest",
        params: body.params,
        ...(body.pageUrl !== undefined ? { pageUrl: body.pageUrl } : {}),
        ...(body.configAppId !== undefined ? { configAppId: body.configAppId } : {}),
      });
      if (!r.ok) return r;
      return {
        ...r,
        browseLink: ctx.runtime.url + ctx.services["web-identity"].linkFor(params.user, r.sheetPath).link,
      };
    },
  });
  sim.route({
    method: "GET",
    url: "/pay/sessions/:id",
    tag: "pay",
    summary: "A pay session's state: pending, ok, cancel or fail, with the errMsg the page receives.",
    params: Type.Object({ id: Type.String() }),
    handler: async ({ params }) => {
      const v = await sheets.view(params.id);
      if (!v) throw notFound(`pay session ${params.id}`);
      return v;
    },
  });
  sim.route({
    method: "POST",
    url: "/pay/sessions/:id",
    tag: "pay",
    summary:
      "Answer a pay sheet without a browser (as its user): pay, cancel, or fail with a reason (NOTENOUGH, BANKERROR…).",
    params: Type.Object({ id: Type.String() }),
    body: Type.Object({
      action: Type.Union([Type.Literal("pay"), Type.Literal("cancel"), Type.Literal("fail")]),
      reason: Type.Optional(Type.String({ maxLength: 32 })),
    }),
    handler: async ({ params, body }) => {
      const v = await sheets.view(params.id);
      if (!v) throw notFound(`pay session ${params.id}`);
      const r = await sheets.answer(params.id, v.user, body.action, body.reason);
      if (typeof r === "string") throw badRequest(r);
      return { result: r.result, errMsg: r.errMsg };
    },
  });

  // The pay sheet: a page of the simulated WeChat client, for the browsing user.
  const identity = ctx.services["web-identity"];
  void ctx.app.register(async (scope) => {
    acceptForms(scope);
    scope.get<{ Params: { id: string } }>("/_mpstack/pay/sheet/:id", async (req, reply) => {
      const user = await identity.userOf(req);
      if (!user && sheets.session(req.params.id)) return reply.redirect(identity.chooserUrl(req.url), 302);
      const page = await sheets.page(req.params.id, user);
      return reply.code(page.status).type("text/html; charset=utf-8").send(page.html);
    });
    scope.post<{ Params: { id: string }; Body: Record<string, string> | undefined }>(
      "/_mpstack/pay/sheet/:id",
      async (req, reply) => {
        const user = await identity.userOf(req);
        const form = req.body ?? {};
        const r = user
          ? await sheets.answer(req.params.id, user.id, form.action ?? "", form.reason)
          : "未登录";
        const page =
          typeof r === "string" ? await sheets.page(req.params.id, user) : await sheets.page(r.id, user);
        return reply
          .code(typeof r === "string" ? 400 : page.status)
          .type("text/html; charset=utf-8")
          .send(page.html);
      },
    );
  });
}
