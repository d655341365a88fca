/**
 * WeChat Pay API v3 on the pay host's paths (spec/applied-features.md §1.7, §1.8): JSON bodies,
 * requests verified by their `Authorization: WECHATPAY2-SHA256-RSA2048 …` signature against the
 * merchant's certificate, every answer (errors included) signed with the platform key
 * (`Wechatpay-Signature`, `-Serial`, `-Nonce`, `-Timestamp`), errors as `{"code","message"}` with
 * WeChat's HTTP statuses; `/v3/certificates` serves the platform certificate AEAD-encrypted.
 */
import {
  aeadEncrypt,
  parsePayV3Authorization,
  payV3RequestMessage,
  rsaSha256Verify,
  signPayV3Response,
} from "@mpstack/protocol";
import type { FastifyReply, FastifyRequest } from "fastify";
import { getAccount } from "../accounts/index.js";
import { findByOpenid } from "../simulated-users/index.js";
import { PayError } from "./errors.js";
import type { PayOperation } from "./faults.js";
import { cstRfc3339, parseRfc3339, randomAlnum } from "./ids.js";
import type { Merchant } from "./merchant.js";
import { closeOrder, createRefund, findOrder, findRefunds, placeOrder } from "./orders.js";
import type { PayRuntime } from "./runtime.js";
import { v3Refund, v3Transaction } from "./views.js";

interface V3Call {
  m: Merchant;
  body: Record<string, unknown>;
  params: Record<string, string>;
  query: Record<string, string>;
}

interface V3Answer {
  status: number;
  body?: unknown;
}

type V3Handler = (rt: PayRuntime, c: V3Call) => Promise<V3Answer>;

const OUT_NO = /^[A-Za-z0-9_\-|*@]{6,32}$/;
const OUT_REFUND_NO = /^[A-Za-z0-9_\-|*@]{1,64}$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function str(o: Record<string, unknown>, name: string, max: number, required = true): string {
  const v = o[name];
  if (v === undefined || v === null || v === "") {
    if (required) throw new PayError("PARAM_ERROR", `${name}为必填字段`);
    return "";
  }
  if (typeof v !== "string" || v.length > max) throw new PayError("PARAM_ERROR", `${name}字段格式错误`);
  return v;
}

function int(o: Record<string, unknown>, name: string, path: string): number {
  const v = o[name];
  if (v === undefined) throw new PayError("PARAM_ERROR", `${path}为必填字段`);
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0 || v > 1e10) {
    throw new PayError("PARAM_ERROR", `${path}字段格式错误`);
  }
  return v;
}

function notifyUrl(o: Record<string, unknown>, required: boolean): string {
  const u = str(o, "notify_url", 256, required);
  if (u === "") return u;
  try {
    const url = new URL(u);
    if ((url.protocol === "https:" || url.protocol === "http:") && url.search === "" && !u.includes("?"))
      return u;
  } catch {}
  throw new PayError("PARAM_ERROR", "notify_url格式错误，不能携带参数");
}

function mchidOf(c: V3Call, from: Record<string, unknown> | Record<string, string>): void {
  const given = from.mchid;
  if (given === undefined || given === "") throw new PayError("PARAM_ERROR", "mchid为必填字段");
  if (given !== c.m.mchId) throw new PayError("MCHID_NOT_EXIST", "mchid与请求的商户号不一致");
}

const jsapi: V3Handler = async (rt, c) => {
  const b = c.body;
  const appid = str(b, "appid", 32);
  mchidOf(c, b);
  const description = str(b, "description", 127);
  const outTradeNo = str(b, "out_trade_no", 32);
  if (!OUT_NO.test(outTradeNo)) throw new PayError("PARAM_ERROR", "out_trade_no字段格式错误");
  const url = notifyUrl(b, true);
  const attach = str(b, "attach", 128, false);
  const goodsTag = str(b, "goods_tag", 32, false);
  if (!isObject(b.amount)) throw new PayError("PARAM_ERROR", "amount为必填字段");
  const total = int(b.amount, "total", "amount.total");
  const currency = b.amount.currency === undefined ? "CNY" : b.amount.currency;
  if (currency !== "CNY") throw new PayError("PARAM_ERROR", "amount.currency字段格式错误");
  if (!isObject(b.payer)) throw new PayError("PARAM_ERROR", "payer为必填字段");
  const openid = str(b.payer, "openid", 128);
  let timeExpire: number | null = null;
  if (b.time_expire !== undefined) {
    timeExpire = typeof b.time_expire === "string" ? parseRfc3339(b.time_expire) : null;
    if (timeExpire === null) throw new PayError("PARAM_ERROR", "time_expire字段格式错误");
  }
  const account = await getAccount(rt.ctx.db, appid);
  if (!account || account.appid !== c.m.appid) throw new PayError("APPID_MCHID_NOT_MATCH");
  const follow = await findByOpenid(rt.ctx.db, appid, openid);
  if (!follow) throw new PayError("OPENID_MISMATCH");
  const sceneInfo = isObject(b.scene_info) ? b.scene_info : {};
  const o = await placeOrder(rt.ctx, c.m, {
    api: "v3",
    appid,
    outTradeNo,
    body: description,
    attach,
    detail: isObject(b.detail) ? JSON.stringify(b.detail) : "",
    totalFee: total,
    feeType: "CNY",
    openid,
    userId: follow.user_id,
    notifyUrl: url,
    tradeType: "JSAPI",
    ip: typeof sceneInfo.payer_client_ip === "string" ? sceneInfo.payer_client_ip : "",
    deviceInfo: typeof sceneInfo.device_id === "string" ? sceneInfo.device_id : "",
    goodsTag,
    signType: "RSA",
    timeExpire,
  });
  rt.ctx.events.emit("pay.order", { appid, mchId: c.m.mchId, outTradeNo, state: o.state });
  return { status: 200, body: { prepay_id: o.prepay_id } };
};

const queryById: V3Handler = async (rt, c) => {
  mchidOf(c, c.query);
  const o = await findOrder(rt.ctx.db, c.m.mchId, { transactionId: c.params.id ?? "" }, rt.ctx.clock.now());
  if (!o) throw new PayError("ORDERNOTEXIST");
  return { status: 200, body: v3Transaction(o) };
};

const queryByOutTradeNo: V3Handler = async (rt, c) => {
  mchidOf(c, c.query);
  const o = await findOrder(
    rt.ctx.db,
    c.m.mchId,
    { outTradeNo: c.params.out_trade_no ?? "" },
    rt.ctx.clock.now(),
  );
  if (!o) throw new PayError("ORDERNOTEXIST");
  return { status: 200, body: v3Transaction(o) };
};

const close: V3Handler = async (rt, c) => {
  mchidOf(c, c.body);
  // v3 only recommends waiting 5 minutes; the rule is enforced on v2's closeorder alone.
  const o = await closeOrder(rt.ctx, c.m, c.params.out_trade_no ?? "", false);
  rt.ctx.events.emit("pay.order", {
    appid: o.appid,
    mchId: c.m.mchId,
    outTradeNo: o.out_trade_no,
    state: o.state,
  });
  return { status: 204 };
};

const refund: V3Handler = async (rt, c) => {
  const b = c.body;
  const transactionId = str(b, "transaction_id", 32, false);
  const outTradeNo = str(b, "out_trade_no", 32, false);
  if (!transactionId && !outTradeNo)
    throw new PayError("PARAM_ERROR", "transaction_id和out_trade_no必须二选一");
  const outRefundNo = str(b, "out_refund_no", 64);
  if (!OUT_REFUND_NO.test(outRefundNo)) throw new PayError("PARAM_ERROR", "out_refund_no字段格式错误");
  const reason = str(b, "reason", 80, false);
  const url = notifyUrl(b, false);
  if (!isObject(b.amount)) throw new PayError("PARAM_ERROR", "amount为必填字段");
  const r = await createRefund(rt.ctx, c.m, {
    api: "v3",
    ...(transactionId ? { transactionId } : { outTradeNo }),
    outRefundNo,
    totalFee: int(b.amount, "total", "amount.total"),
    refundFee: int(b.amount, "refund", "amount.refund"),
    reason,
    notifyUrl: url,
    refundAccount: typeof b.funds_account === "string" ? b.funds_account : "",
  });
  rt.ctx.events.emit("pay.refund", { appid: r.appid, mchId: c.m.mchId, outRefundNo, status: r.status });
  rt.notifier.kick();
  return { status: 200, body: v3Refund(r) };
};

const refundQuery: V3Handler = async (rt, c) => {
  const [r] = await findRefunds(rt.ctx.db, c.m.mchId, { outRefundNo: c.params.out_refund_no ?? "" });
  if (!r) throw new PayError("REFUNDNOTEXIST", "退款单不存在");
  return { status: 200, body: v3Refund(r) };
};

const certificates: V3Handler = async (_rt, c) => {
  const nonce = randomAlnum(12);
  return {
    status: 200,
    body: {
      data: [
        {
          serial_no: c.m.platformSerial,
          effective_time: cstRfc3339(c.m.createdAt - 86_400_000),
          expire_time: cstRfc3339(c.m.createdAt + 5 * 365 * 86_400_000 - 86_400_000),
          encrypt_certificate: {
            algorithm: "AEAD_AES_256_GCM",
            nonce,
            associated_data: "certificate",
            ciphertext: aeadEncrypt(c.m.apiV3Key, nonce, "certificate", c.m.platformCert),
          },
        },
      ],
    },
  };
};

interface Route {
  method: "GET" | "POST";
  url: string;
  op: PayOperation | null;
  handler: V3Handler;
}

const ROUTES: Route[] = [
  { method: "POST", url: "/v3/pay/transactions/jsapi", op: "order", handler: jsapi },
  { method: "GET", url: "/v3/pay/transactions/id/:id", op: "query", handler: queryById },
  {
    method: "GET",
    url: "/v3/pay/transactions/out-trade-no/:out_trade_no",
    op: "query",
    handler: queryByOutTradeNo,
  },
  {
    method: "POST",
    url: "/v3/pay/transactions/out-trade-no/:out_trade_no/close",
    op: "close",
    handler: close,
  },
  { method: "POST", url: "/v3/refund/domestic/refunds", op: "refund", handler: refund },
  {
    method: "GET",
    url: "/v3/refund/domestic/refunds/:out_refund_no",
    op: "refundquery",
    handler: refundQuery,
  },
  { method: "GET", url: "/v3/certificates", op: null, handler: certificates },
];

function sendSigned(rt: PayRuntime, reply: FastifyReply, m: Merchant | undefined, answer: V3Answer): void {
  const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
  if (m) {
    const headers = signPayV3Response(
      text,
      m.platformPrivateKey,
      m.platformSerial,
      rt.ctx.clock.nowSeconds(),
      randomAlnum(32),
    );
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  }
  reply.header("Request-ID", randomAlnum(24));
  if (answer.body === undefined) reply.code(answer.status).send();
  else reply.code(answer.status).type("application/json; charset=utf-8").send(text);
}

/**
 * The merchant named by the Authorization header (`found` learns it first, so even a refusal is
 * signed with its platform key), checked against its certificate: SIGN_ERROR / MCH_NOT_EXISTS.
 */
async function authenticate(
  rt: PayRuntime,
  req: FastifyRequest,
  raw: string,
  found: (m: Merchant) => void,
): Promise<Merchant> {
  const auth = parsePayV3Authorization(req.headers.authorization);
  if (!auth)
    throw new PayError("SIGNERROR", "Http头Authorization值格式错误，请参考《微信支付API v3签名规则》");
  const m = await rt.byMchId(auth.mchid);
  if (!m) throw new PayError("MCHID_NOT_EXIST", "商户号不存在");
  found(m);
  if (auth.serial_no.toUpperCase() !== m.merchantSerial)
    throw new PayError("SIGNERROR", "商户证书序列号有误");
  const skew = Math.abs(rt.ctx.clock.nowSeconds() - Number(auth.timestamp));
  if (!Number.isFinite(skew) || skew > m.settings.v3TimestampSkewSeconds) {
    throw new PayError("SIGNERROR", "Http头Authorization中的timestamp已过期");
  }
  const message = payV3RequestMessage(req.method, req.url, auth.timestamp, auth.nonce_str, raw);
  if (!rsaSha256Verify(message, auth.signature, m.merchantPublicKey)) {
    throw new PayError("SIGNERROR", "签名错误，请检查后再试");
  }
  return m;
}

function flatQuery(q: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (q && typeof q === "object")
    for (const [k, v] of Object.entries(q)) if (typeof v === "string") out[k] = v;
  return out;
}

async function handle(rt: PayRuntime, route: Route, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  let m: Merchant | undefined;
  try {
    const raw = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
    m = await authenticate(rt, req, raw, (found) => {
      m = found;
    });
    const account = await getAccount(rt.ctx.db, m.appid);
    if (!account?.grants.includes("pay")) throw new PayError("NOAUTH", "商户无权限");
    let body: Record<string, unknown> = {};
    if (route.method === "POST") {
      try {
        const parsed: unknown = raw === "" ? {} : JSON.parse(raw);
        if (!isObject(parsed)) throw new Error("not an object");
        body = parsed;
      } catch {
        throw new PayError("PARAM_ERROR", "请求体格式错误，应为JSON对象");
      }
    }
    if (route.op) {
      const fault = rt.faults.take(m.mchId, route.op);
      if (fault) throw new PayError(fault);
    }
    const params = flatQuery(req.params);
    const answer = await route.handler(rt, { m, body, params, query: flatQuery(req.query) });
    sendSigned(rt, reply, m, answer);
  } catch (err) {
    if (!(err instanceof PayError)) {
      rt.ctx.log.error(
        { err: err instanceof Error ? err.message : String(err), url: route.url },
        "pay v3 call failed",
      );
      return sendSigned(rt, reply, m, { status: 500, body: { code: "SYSTEM_ERROR", message: "系统错误" } });
    }
    sendSigned(rt, reply, m, { status: err.info.status, body: { code: err.info.v3, message: err.message } });
  }
}

export async function mountPayV3(rt: PayRuntime): Promise<void> {
  await rt.ctx.app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: 256 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    for (const route of ROUTES) {
      scope.route({
        method: route.method,
        url: route.url,
        handler: (req, reply) => handle(rt, route, req, reply),
      });
    }
  });
}
