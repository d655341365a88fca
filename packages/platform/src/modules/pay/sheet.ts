/**
 * The payer's side (spec/applied-features.md §1.4): `startPayment` checks what a page passed to
 * `getBrandWCPayRequest` / `chooseWXPay` (the account's pay permission, the prepay, paySign with the
 * merchant's key — MD5, HMAC-SHA256 or RSA —, the payment directory, the payer) and opens a pay
 * session; the pay sheet (an HTML page for the browsing simulated user) shows amount and merchant and
 * lets the user pay, cancel or fail with a reason. Paying changes the order on the platform clock and
 * queues the notification.
 */
import { randomBytes } from "node:crypto";
import { mayCall, payV3JsapiMessage, rsaSha256Verify, verifyPaySign } from "@mpstack/protocol";
import { html, pageFrame, type SafeHtml, safe } from "../../http/html.js";
import { getAccount } from "../accounts/index.js";
import { ensureIdentity, getUser, type User } from "../simulated-users/index.js";
import type { Merchant } from "./merchant.js";
import { transactionBody } from "./notify-bodies.js";
import { type Order, orderByPrepayId, type PayOutcome, settlePayment } from "./orders.js";
import type { PayRuntime } from "./runtime.js";

declare module "../../events.js" {
  interface PlatformEventMap {
    /** A pay sheet was answered: `errMsg` is what the page's callback receives. */
    "pay.session": {
      sessionId: string;
      appid: string;
      userId: string;
      result: PaySessionResult;
      errMsg: string;
    };
  }
}

/** The JSAPI pay parameters as a page passes them (chooseWXPay's `timestamp` is accepted for `timeStamp`). */
export interface JsapiPayParams {
  appId?: string;
  timeStamp?: string | number;
  timestamp?: string | number;
  nonceStr?: string;
  package?: string;
  signType?: string;
  paySign?: string;
}

export interface StartPaymentInput {
  /** The simulated user paying (the browsing user). */
  userId: string;
  /** Which page API asked: decides the errMsg prefix (`get_brand_wcpay_request` or `chooseWXPay`). */
  via: "getBrandWCPayRequest" | "chooseWXPay";
  params: JsapiPayParams;
  /** The page's URL (checked against the merchant's payment directories when any are set). */
  pageUrl?: string;
  /** chooseWXPay: the appId of the page's wx.config (the params carry none). */
  configAppId?: string;
}

export type PaySessionResult = "pending" | "ok" | "cancel" | "fail";

export type StartPaymentResult =
  | {
      ok: true;
      sessionId: string;
      /** Path of the pay sheet on the platform (open it as the paying user). */
      sheetPath: string;
      sheetUrl: string;
      order: { appid: string; mchId: string; outTradeNo: string; body: string; totalFee: number };
    }
  | { ok: false; errMsg: string; reason: string };

interface Session {
  id: string;
  appid: string;
  userId: string;
  prepayId: string;
  via: StartPaymentInput["via"];
  createdAt: number;
  result: PaySessionResult;
  errMsg: string;
}

const SESSION_MS = 30 * 60_000;

/** Reasons a payer may choose for a failed payment, as the sheet offers them. */
export const FAIL_REASONS: Record<string, string> = {
  NOTENOUGH: "余额不足",
  BANKERROR: "银行系统异常",
  USER_LIMIT: "超出支付限额",
  CARD_EXPIRED: "银行卡已过期",
};

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** The `type` of what an answered sheet posts to its parent (the bridge's overlay) and opener. */
export const PAY_RESULT_MESSAGE = "mpstack:pay-result";

export class PaySheets {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly rt: PayRuntime) {}

  clear(): void {
    this.sessions.clear();
  }

  private prefix(via: StartPaymentInput["via"]): string {
    return via === "chooseWXPay" ? "chooseWXPay" : "get_brand_wcpay_request";
  }

  async start(input: StartPaymentInput): Promise<StartPaymentResult> {
    const prefix = this.prefix(input.via);
    const fail = (reason: string, kind = "fail"): StartPaymentResult => ({
      ok: false,
      errMsg: `${prefix}:${kind}`,
      reason,
    });
    const p = input.params;
    const appId = p.appId ?? input.configAppId ?? "";
    const account = await getAccount(this.rt.ctx.db, appId);
    if (!account) return fail("appId无效");
    if (!mayCall(account, "jssdk.pay", this.rt.ctx.policiesFor(account).permissionOverrides)) {
      return fail("this account has no permission to use chooseWXPay", "permission denied");
    }
    const m = await this.rt.byAppid(account.appid);
    if (!m) return fail("商户未开通支付", "permission denied");
    const timeStamp = String(p.timeStamp ?? p.timestamp ?? "");
    if (!timeStamp || !p.nonceStr || !p.package || !p.signType || !p.paySign) return fail("缺少参数");
    const prepayId = /^prepay_id=(.+)$/.exec(p.package)?.[1];
    if (!prepayId) return fail("package格式错误，应为prepay_id=…");
    const now = this.rt.ctx.clock.now();
    const order = await orderByPrepayId(this.rt.ctx.db, prepayId, now);
    if (!order || order.mch_id !== m.mchId) return fail("prepay_id无效");
    if (order.appid !== account.appid) return fail("appId与订单不一致");
    if (!this.signOk(m, { ...p, appId: account.appid, timeStamp })) return fail("支付验证签名失败");
    const dirs = m.settings.payDirectories;
    if (dirs.length > 0 && !dirs.some((d) => (input.pageUrl ?? "").startsWith(d))) {
      return fail(`当前页面的URL未注册：${input.pageUrl ?? ""}`);
    }
    if (order.state === "SUCCESS" || order.state === "REFUND") return fail("该订单已支付");
    if (order.state !== "NOTPAY" && order.state !== "PAYERROR") return fail("订单已关闭");
    if (order.prepay_expire_at <= now) return fail("prepay_id已过期，请重新下单");
    if (order.user_id && order.user_id !== input.userId) return fail("下单账号与支付账号不一致");
    const id = randomBytes(16).toString("hex");
    this.sessions.set(id, {
      id,
      appid: account.appid,
      userId: input.userId,
      prepayId,
      via: input.via,
      createdAt: now,
      result: "pending",
      errMsg: "",
    });
    const sheetPath = `/_mpstack/pay/sheet/${id}`;
    return {
      ok: true,
      sessionId: id,
      sheetPath,
      sheetUrl: this.rt.ctx.runtime.url + sheetPath,
      order: {
        appid: order.appid,
        mchId: m.mchId,
        outTradeNo: order.out_trade_no,
        body: order.body,
        totalFee: order.total_fee,
      },
    };
  }

  private signOk(m: Merchant, p: JsapiPayParams & { appId: string; timeStamp: string }): boolean {
    const sign = p.paySign ?? "";
    if (p.signType === "RSA") {
      return rsaSha256Verify(
        payV3JsapiMessage(p.appId, p.timeStamp, p.nonceStr ?? "", p.package ?? ""),
        sign,
        m.merchantPublicKey,
      );
    }
    if (p.signType !== "MD5" && p.signType !== "HMAC-SHA256") return false;
    const fields = {
      appId: p.appId,
      timeStamp: p.timeStamp,
      nonceStr: p.nonceStr,
      package: p.package,
      signType: p.signType,
      sign,
    };
    return verifyPaySign(fields, m.apiKey, p.signType);
  }

  session(id: string): Session | undefined {
    const s = this.sessions.get(id);
    if (s && this.rt.ctx.clock.now() - s.createdAt > SESSION_MS && s.result === "pending") {
      this.sessions.delete(id);
      return undefined;
    }
    return s;
  }

  /** The payer answers the sheet. Returns the session with its result, or an error text. */
  async answer(id: string, userId: string, action: string, reason?: string): Promise<Session | string> {
    const s = this.session(id);
    if (!s) return "支付会话不存在或已过期";
    if (s.userId !== userId) return "下单账号与支付账号不一致";
    if (s.result !== "pending") return s;
    const now = this.rt.ctx.clock.now();
    const order = await orderByPrepayId(this.rt.ctx.db, s.prepayId, now);
    if (!order) return "订单不存在";
    const prefix = this.prefix(s.via);
    if (action === "cancel") return this.finish(s, "cancel", `${prefix}:cancel`);
    if (order.state !== "NOTPAY" && order.state !== "PAYERROR")
      return this.finish(s, "fail", `${prefix}:fail`);
    const outcome: PayOutcome =
      action === "pay"
        ? { kind: "paid", bankType: "OTHERS" }
        : { kind: "failed", reason: `${FAIL_REASONS[reason ?? ""] ?? "支付失败"}（${reason ?? "ERROR"}）` };
    if (order.state === "PAYERROR") {
      // A failed attempt leaves the order payable again.
      await this.rt.ctx.db
        .updateTable("pay_orders")
        .set({ state: "NOTPAY", state_desc: "订单未支付" })
        .where("transaction_id", "=", order.transaction_id)
        .execute();
    }
    const settled = await this.settle(order, outcome, s.userId);
    if (outcome.kind === "failed") return this.finish(s, "fail", `${prefix}:fail`);
    const m = await this.rt.byAppid(settled.appid);
    if (m && settled.notify_url) {
      const body = await transactionBody(this.rt.ctx.db, m, settled, now);
      await this.rt.notifier.enqueue(
        m,
        "TRANSACTION.SUCCESS",
        settled.api,
        settled.transaction_id,
        settled.notify_url,
        body,
      );
    }
    return this.finish(s, "ok", `${prefix}:ok`);
  }

  private async settle(order: Order, outcome: PayOutcome, userId: string): Promise<Order> {
    let o = { ...order, state: "NOTPAY" as const };
    if (!o.openid) {
      // NATIVE / MWEB orders learn their payer at payment time.
      const account = await getAccount(this.rt.ctx.db, o.appid);
      if (account) {
        const identity = await ensureIdentity(this.rt.ctx, account, userId);
        await this.rt.ctx.db
          .updateTable("pay_orders")
          .set({ openid: identity.openid, user_id: userId })
          .where("transaction_id", "=", o.transaction_id)
          .execute();
        o = { ...o, openid: identity.openid, user_id: userId };
      }
    }
    const settled = await settlePayment(this.rt.ctx, o, outcome);
    this.rt.ctx.events.emit("pay.order", {
      appid: settled.appid,
      mchId: settled.mch_id,
      outTradeNo: settled.out_trade_no,
      state: settled.state,
    });
    return settled;
  }

  private finish(s: Session, result: PaySessionResult, errMsg: string): Session {
    s.result = result;
    s.errMsg = errMsg;
    this.rt.ctx.events.emit("pay.session", {
      sessionId: s.id,
      appid: s.appid,
      userId: s.userId,
      result,
      errMsg,
    });
    return s;
  }

  /** The sheet for the session's payer, or a page explaining why it cannot be shown. */
  async page(id: string, user: User | null): Promise<{ status: number; html: string }> {
    const s = this.session(id);
    if (!s) return message(410, "支付会话已失效", "This payment session has expired or does not exist.");
    if (!user || user.id !== s.userId) {
      return message(403, "下单账号与支付账号不一致", "Open this sheet as the user who placed the order.");
    }
    if (s.result !== "pending") return resultPage(s);
    const order = await orderByPrepayId(this.rt.ctx.db, s.prepayId, this.rt.ctx.clock.now());
    const account = order ? await getAccount(this.rt.ctx.db, order.appid) : undefined;
    if (!order || !account) return message(404, "订单不存在", "The order no longer exists.");
    const reasons = Object.entries(FAIL_REASONS).map(
      ([code, text]) => html`<option value="${code}">${text} · ${code}</option>`,
    );
    const body = html`<h1>微信支付 <span class="muted">WeChat Pay</span></h1>
<div class="card" style="text-align:center">
  <div class="muted">${account.name} · 商户号 ${order.mch_id}</div>
  <div id="amount" style="font-size:34px;font-weight:600;margin:10px 0">¥${yuan(order.total_fee)}</div>
  <div>${order.body}</div>
  <div class="muted">付款人 Payer: ${user.nickname} (${user.id})</div>
</div>
<form method="post" class="card">
  <input type="hidden" name="action" value="pay">
  <button id="pay" class="btn btn-primary" type="submit">立即支付 · Pay ¥${yuan(order.total_fee)}</button>
</form>
<form method="post" class="card">
  <input type="hidden" name="action" value="fail">
  <label class="muted" for="reason">模拟失败 · Fail with reason</label>
  <select id="reason" name="reason" style="width:100%;padding:8px;margin-top:6px">${reasons}</select>
  <button id="fail" class="btn btn-warn" type="submit">支付失败 · Fail</button>
</form>
<form method="post"><input type="hidden" name="action" value="cancel">
  <button id="cancel" class="btn btn-default" type="submit">取消 · Cancel</button>
</form>`;
    return { status: 200, html: pageFrame("微信支付 · WeChat Pay", body) };
  }

  async view(id: string) {
    const s = this.session(id);
    if (!s) return undefined;
    const user = await getUser(this.rt.ctx.db, s.userId);
    return {
      sessionId: s.id,
      appid: s.appid,
      user: user?.id ?? s.userId,
      prepayId: s.prepayId,
      via: s.via,
      result: s.result,
      errMsg: s.errMsg,
    };
  }
}

function message(status: number, title: string, english: string): { status: number; html: string } {
  return { status, html: pageFrame(title, html`<h1>${title}<br><span class="muted">${english}</span></h1>`) };
}

/** The page after an answer: tells the opening page (bridge overlay or opener) the result. */
export function resultPage(s: Session): { status: number; html: string } {
  const titles: Record<string, SafeHtml> = {
    ok: html`支付成功<br><span class="muted">Paid</span>`,
    cancel: html`已取消支付<br><span class="muted">Cancelled</span>`,
    fail: html`支付失败<br><span class="muted">Payment failed</span>`,
  };
  const data = JSON.stringify({
    type: PAY_RESULT_MESSAGE,
    sessionId: s.id,
    result: s.result,
    errMsg: s.errMsg,
  }).replaceAll("<", "\\u003c");
  const body = html`<h1 id="result" data-result="${s.result}">${titles[s.result] ?? s.result}</h1>
<p class="muted" id="errmsg">${s.errMsg}</p>
<script>(function(){var d=${safe(data)};
try{if(window.parent&&window.parent!==window)window.parent.postMessage(d,"*")}catch(e){}
try{if(window.opener)window.opener.postMessage(d,"*")}catch(e){}})();</script>`;
  return { status: 200, html: pageFrame("微信支付 · WeChat Pay", body) };
}
