/**
 * What a notification carries (spec/applied-features.md §1.5, §1.6, §1.9): the v2 payment
 * notification (signed XML), the v2 refund notification (`req_info` encrypted), the v3 envelope with
 * an AEAD-encrypted resource, and how a merchant's answer is read.
 */
import {
  aeadEncrypt,
  buildXml,
  encryptRefundReqInfo,
  type PaySignType,
  parseXml,
  paySign,
} from "@mpstack/protocol";
import type { Db } from "../../db/schema.js";
import { getFollow } from "../simulated-users/index.js";
import { cstRfc3339, newNotificationId, randomAlnum } from "./ids.js";
import type { Merchant } from "./merchant.js";
import type { Order, Refund } from "./orders.js";
import { v2PaymentFields, v2RefundReqInfo, v3RefundResource, v3Transaction } from "./views.js";

/** The body of a payment notification (v2 signed XML, v3 encrypted JSON). */
export async function transactionBody(db: Db, m: Merchant, o: Order, now: number): Promise<string> {
  if (o.api === "v3")
    return v3Envelope(m, "TRANSACTION.SUCCESS", "支付成功", "transaction", v3Transaction(o), now);
  const follow = await getFollow(db, o.appid, o.user_id);
  const signType = o.sign_type === "HMAC-SHA256" ? "HMAC-SHA256" : "MD5";
  const fields: Record<string, string | number | undefined> = {
    appid: o.appid,
    mch_id: o.mch_id,
    nonce_str: randomAlnum(32),
    result_code: "SUCCESS",
    return_code: "SUCCESS",
    ...(signType === "HMAC-SHA256" ? { sign_type: signType } : {}),
    ...v2PaymentFields(o, follow?.subscribed === 1),
  };
  fields.sign = paySign(fields, m.apiKey, signType as PaySignType);
  return buildXml(fields);
}

/** The body of a refund notification (v2 `req_info` encrypted, v3 encrypted resource). */
export function refundBody(m: Merchant, r: Refund, now: number): string {
  if (r.api === "v3")
    return v3Envelope(m, "REFUND.SUCCESS", "退款成功", "refund", v3RefundResource(r, m.mchId), now);
  const reqInfo = encryptRefundReqInfo(buildXml(v2RefundReqInfo(r), "root"), m.apiKey);
  return buildXml({
    return_code: "SUCCESS",
    appid: r.appid,
    mch_id: m.mchId,
    nonce_str: randomAlnum(32),
    req_info: reqInfo,
  });
}

function v3Envelope(
  m: Merchant,
  eventType: string,
  summary: string,
  type: string,
  resource: object,
  now: number,
) {
  const nonce = randomAlnum(12);
  return JSON.stringify({
    id: newNotificationId(now),
    create_time: cstRfc3339(now),
    resource_type: "encrypt-resource",
    event_type: eventType,
    summary,
    resource: {
      original_type: type,
      algorithm: "AEAD_AES_256_GCM",
      ciphertext: aeadEncrypt(m.apiV3Key, nonce, type, JSON.stringify(resource)),
      associated_data: type,
      nonce,
    },
  });
}

/** Did the merchant take it? v2: `return_code` SUCCESS (read leniently); v3: HTTP 200 or 204. */
export function accepted(api: string, status: number, body: string): boolean {
  if (api === "v3") return status === 200 || status === 204;
  if (status !== 200) return false;
  try {
    const code = parseXml(body, { maxBytes: 64 * 1024 }).return_code;
    return typeof code === "string" && code.toUpperCase().includes("SUCCESS");
  } catch {
    return false;
  }
}
