/**
 * WeChat Pay v2 on the pay host's paths (spec/applied-features.md §1.2–§1.6): XML in and out through
 * the protocol's safe codec, every request's sign checked (MD5 or HMAC-SHA256), every answer signed,
 * communication failures as `return_code=FAIL`, business failures as `result_code=FAIL` + `err_code`.
 * The same paths under `/sandboxnew/` use the sandbox key from `/sandboxnew/pay/getsignkey`.
 */
import { createHash } from "node:crypto";
import { buildXml, type PaySignType, parseXml, paySign, verifyPaySign, XmlError } from "@mpstack/protocol";
import type { FastifyReply, FastifyRequest } from "fastify";
import { getAccount } from "../accounts/index.js";
import { findByOpenid, getFollow } from "../simulated-users/index.js";
import { PayError } from "./errors.js";
import type { PayOperation } from "./faults.js";
import { parseCstCompact, randomAlnum } from "./ids.js";
import type { Merchant } from "./merchant.js";
import { closeOrder, createRefund, findOrder, findRefunds, placeOrder } from "./orders.js";
import type { PayRuntime } from "./runtime.js";
import { v2QueryFields, v2RefundQueryFields } from "./views.js";

type Fields = Record<string, string>;
type Answer = Record<string, string | number | undefined>;

/** The sandbox key of a merchant (what getsignkey hands out; sandbox calls are signed with it). */
export function sandboxKey(m: Merchant): string {
  return createHash("md5").update(`mpstack-sandbox:${m.apiKey}`).digest("hex");
}

const TRADE_TYPES = new Set(["JSAPI", "NATIVE", "APP", "MWEB"]);
const OUT_NO = /^[A-Za-z0-9_\-|*@]{1,32}$/;
const OUT_REFUND_NO = /^[A-Za-z0-9_\-|*@]{1,64}$/;
const FEE = /^[1-9][0-9]{0,9}$/;

function need(f: Fields, ...names: string[]): void {
  for (const n of names) if (!f[n]) throw new PayError("LACK_PARAMS", `缺少参数${n}`);
}

function check(ok: boolean, field: string): void {
  if (!ok) throw new PayError("PARAM_ERROR", `${field}参数格式错误`);
}

function notifyUrlOk(u: string): boolean {
  if (u.length > 256) return false;
  try {
    const url = new URL(u);
    return (url.protocol === "http:" || url.protocol === "https:") && url.search === "" && !u.includes("?");
  } catch {
    return false;
  }
}

function parseFields(raw: Buffer): Fields {
  let record: ReturnType<typeof parseXml>;
  try {
    record = parseXml(raw, { maxBytes: 256 * 1024, maxDepth: 4, maxNodes: 500 });
  } catch (err) {
    if (err instanceof XmlError && err.code === "Encoding") throw new PayError("NOT_UTF8");
    throw new PayError("XML_FORMAT_ERROR");
  }
  const out: Fields = {};
  for (const [k, v] of Object.entries(record)) {
    if (typeof v !== "string") throw new PayError("XML_FORMAT_ERROR", `XML格式错误：${k}`);
    out[k] = v.trim();
  }
  return out;
}

type OpHandler = (rt: PayRuntime, m: Merchant, f: Fields) => Promise<Answer>;

const unifiedOrder: OpHandler = async (rt, m, f) => {
  need(f, "body", "out_trade_no", "total_fee", "spbill_create_ip", "notify_url", "trade_type");
  check(OUT_NO.test(f.out_trade_no ?? ""), "out_trade_no");
  check(FEE.test(f.total_fee ?? ""), "total_fee");
  check((f.body ?? "").length <= 128, "body");
  check((f.attach ?? "").length <= 127, "attach");
  check((f.detail ?? "").length <= 6000, "detail");
  check(notifyUrlOk(f.notify_url ?? ""), "notify_url");
  check(TRADE_TYPES.has(f.trade_type ?? ""), "trade_type");
  let timeExpire: number | null = null;
  if (f.time_expire) {
    timeExpire = parseCstCompact(f.time_expire);
    check(timeExpire !== null, "time_expire");
  }
  let openid = "";
  let userId = "";
  if (f.trade_type === "JSAPI") {
    if (!f.openid) throw new PayError("LACK_PARAMS", "JSAPI支付必须传openid");
    const follow = await findByOpenid(rt.ctx.db, f.appid ?? "", f.openid);
    if (!follow) throw new PayError("OPENID_MISMATCH");
    openid = f.openid;
    userId = follow.user_id;
  }
  const o = await placeOrder(rt.ctx, m, {
    api: "v2",
    appid: f.appid ?? "",
    outTradeNo: f.out_trade_no ?? "",
    body: f.body ?? "",
    attach: f.attach ?? "",
    detail: f.detail ?? "",
    totalFee: Number(f.total_fee),
    feeType: f.fee_type || "CNY",
    openid,
    userId,
    notifyUrl: f.notify_url ?? "",
    tradeType: f.trade_type ?? "",
    ip: f.spbill_create_ip ?? "",
    deviceInfo: f.device_info ?? "",
    goodsTag: f.goods_tag ?? "",
    signType: f.sign_type || "MD5",
    timeExpire,
  });
  rt.ctx.events.emit("pay.order", {
    appid: o.appid,
    mchId: m.mchId,
    outTradeNo: o.out_trade_no,
    state: o.state,
  });
  return {
    device_info: o.device_info || undefined,
    trade_type: o.trade_type,
    prepay_id: o.prepay_id,
    ...(o.trade_type === "NATIVE"
      ? { code_url: `weixin://wxpay/bizpayurl?pr=${o.prepay_id.slice(-12)}` }
      : {}),
    // H5 (MWEB) payment happens outside WeChat: the URL has WeChat's shape; no page is simulated for it.
    ...(o.trade_type === "MWEB"
      ? {
          mweb_url: `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${o.prepay_id}&package=${randomAlnum(10)}`,
        }
      : {}),
  };
};

const orderQuery: OpHandler = async (rt, m, f) => {
  if (!f.transaction_id && !f.out_trade_no) throw new PayError("LACK_PARAMS", "缺少参数out_trade_no");
  const now = rt.ctx.clock.now();
  const by = f.transaction_id ? { transactionId: f.transaction_id } : { outTradeNo: f.out_trade_no };
  const o = await findOrder(rt.ctx.db, m.mchId, by, now);
  if (!o) throw new PayError("ORDERNOTEXIST");
  const follow = o.user_id ? await getFollow(rt.ctx.db, o.appid, o.user_id) : undefined;
  return v2QueryFields(o, follow?.subscribed === 1);
};

const closeOrderOp: OpHandler = async (rt, m, f) => {
  need(f, "out_trade_no");
  const o = await closeOrder(rt.ctx, m, f.out_trade_no ?? "", true);
  rt.ctx.events.emit("pay.order", {
    appid: o.appid,
    mchId: m.mchId,
    outTradeNo: o.out_trade_no,
    state: o.state,
  });
  return {};
};

const refund: OpHandler = async (rt, m, f) => {
  if (!f.transaction_id && !f.out_trade_no) throw new PayError("LACK_PARAMS", "缺少参数out_trade_no");
  need(f, "out_refund_no", "total_fee", "refund_fee");
  check(OUT_REFUND_NO.test(f.out_refund_no ?? ""), "out_refund_no");
  check(FEE.test(f.total_fee ?? ""), "total_fee");
  check(FEE.test(f.refund_fee ?? ""), "refund_fee");
  if (f.notify_url) check(notifyUrlOk(f.notify_url), "notify_url");
  const r = await createRefund(rt.ctx, m, {
    api: "v2",
    ...(f.transaction_id ? { transactionId: f.transaction_id } : { outTradeNo: f.out_trade_no }),
    outRefundNo: f.out_refund_no ?? "",
    totalFee: Number(f.total_fee),
    refundFee: Number(f.refund_fee),
    reason: f.refund_desc ?? "",
    notifyUrl: f.notify_url ?? "",
    refundAccount: f.refund_account ?? "",
  });
  rt.ctx.events.emit("pay.refund", {
    appid: r.appid,
    mchId: m.mchId,
    outRefundNo: r.out_refund_no,
    status: r.status,
  });
  rt.notifier.kick();
  return {
    transaction_id: r.transaction_id,
    out_trade_no: r.out_trade_no,
    out_refund_no: r.out_refund_no,
    refund_id: r.refund_id,
    refund_fee: r.refund_fee,
    settlement_refund_fee: r.refund_fee,
    total_fee: r.total_fee,
    cash_fee: r.total_fee,
    cash_refund_fee: r.refund_fee,
    refund_channel: "ORIGINAL",
  };
};

const refundQuery: OpHandler = async (rt, m, f) => {
  const by = f.refund_id
    ? { refundId: f.refund_id }
    : f.out_refund_no
      ? { outRefundNo: f.out_refund_no }
      : f.transaction_id
        ? { transactionId: f.transaction_id }
        : f.out_trade_no
          ? { outTradeNo: f.out_trade_no }
          : null;
  if (!by) throw new PayError("LACK_PARAMS", "缺少参数out_refund_no");
  const refunds = await findRefunds(rt.ctx.db, m.mchId, by);
  const first = refunds[0];
  if (!first) throw new PayError("REFUNDNOTEXIST");
  const o = await findOrder(rt.ctx.db, m.mchId, { outTradeNo: first.out_trade_no }, rt.ctx.clock.now());
  if (!o) throw new PayError("ORDERNOTEXIST");
  return v2RefundQueryFields(o, refunds);
};

const OPERATIONS: Record<string, { op: PayOperation; handler: OpHandler }> = {
  "/pay/unifiedorder": { op: "order", handler: unifiedOrder },
  "/pay/orderquery": { op: "query", handler: orderQuery },
  "/pay/closeorder": { op: "close", handler: closeOrderOp },
  "/secapi/pay/refund": { op: "refund", handler: refund },
  "/pay/refundquery": { op: "refundquery", handler: refundQuery },
};

/** A business answer: the common fields, the result's, and the sign (the request's sign type). */
function signed(m: Merchant, result: Answer, key: string, signType: PaySignType): Answer {
  const answer: Answer = {
    return_code: "SUCCESS",
    return_msg: "OK",
    appid: m.appid,
    mch_id: m.mchId,
    nonce_str: randomAlnum(32),
    ...result,
  };
  answer.sign = paySign(answer, key, signType);
  return answer;
}

function send(reply: FastifyReply, answer: Answer): void {
  reply.code(200).type("text/xml; charset=utf-8").send(buildXml(answer));
}

async function handle(
  rt: PayRuntime,
  path: string,
  sandbox: boolean,
  req: FastifyRequest,
  reply: FastifyReply,
) {
  let m: Merchant | undefined;
  let f: Fields = {};
  let signType: PaySignType = "MD5";
  let key = "";
  try {
    if (req.method !== "POST") throw new PayError("REQUIRE_POST_METHOD");
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (raw.length === 0) throw new PayError("POST_DATA_EMPTY");
    f = parseFields(raw);
    if (!f.mch_id) throw new PayError("LACK_PARAMS", "缺少参数mch_id");
    m = await rt.byMchId(f.mch_id);
    if (!m) throw new PayError("MCHID_NOT_EXIST");
    if (f.sign_type && f.sign_type !== "MD5" && f.sign_type !== "HMAC-SHA256") {
      throw new PayError("PARAM_ERROR", "sign_type参数错误");
    }
    signType = (f.sign_type as PaySignType | undefined) || "MD5";
    need(f, "nonce_str", "sign");
    key = sandbox && path !== "/pay/getsignkey" ? sandboxKey(m) : m.apiKey;
    if (!verifyPaySign(f, key, signType)) throw new PayError("SIGNERROR");
    if (path === "/pay/getsignkey") {
      return send(reply, {
        return_code: "SUCCESS",
        return_msg: "OK",
        mch_id: m.mchId,
        sandbox_signkey: sandboxKey(m),
      });
    }
    need(f, "appid");
    const account = await getAccount(rt.ctx.db, f.appid ?? "");
    if (!account) throw new PayError("APPID_NOT_EXIST");
    if (account.appid !== m.appid) throw new PayError("APPID_MCHID_NOT_MATCH");
    const operation = OPERATIONS[path];
    if (!operation) throw new PayError("PARAM_ERROR");
    if (!account.grants.includes("pay")) throw new PayError("NOAUTH");
    const fault = rt.faults.take(m.mchId, operation.op);
    if (fault) throw new PayError(fault);
    const fields = await operation.handler(rt, m, f);
    return send(reply, signed(m, { result_code: "SUCCESS", ...fields }, key, signType));
  } catch (err) {
    if (!(err instanceof PayError)) {
      rt.ctx.log.error({ err: err instanceof Error ? err.message : String(err), path }, "pay v2 call failed");
      return send(reply, { return_code: "FAIL", return_msg: "系统繁忙，请稍后再试" });
    }
    if (err.info.v2 === "return" || !m) return send(reply, { return_code: "FAIL", return_msg: err.message });
    const failed = { result_code: "FAIL", err_code: err.code, err_code_des: err.message };
    return send(reply, signed(m, failed, key || m.apiKey, signType));
  }
}

/** Mount the v2 paths (and their `/sandboxnew/` twins) in an encapsulated scope with raw bodies. */
export async function mountPayV2(rt: PayRuntime): Promise<void> {
  await rt.ctx.app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: 256 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    for (const path of [...Object.keys(OPERATIONS), "/pay/getsignkey"]) {
      for (const sandbox of [false, true]) {
        if (path === "/pay/getsignkey" && !sandbox) continue;
        const url = sandbox ? `/sandboxnew${path}` : path;
        scope.route({
          method: ["GET", "POST"],
          url,
          handler: (req, reply) => handle(rt, path, sandbox, req, reply),
        });
      }
    }
  });
}
