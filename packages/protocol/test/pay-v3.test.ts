/** Pay v3 signing, verification and AEAD, and the v2 refund `req_info` cipher, on the spec's vectors (§1.6, §1.8, §1.9). */
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decryptRefundReqInfo, encryptRefundReqInfo } from "../src/pay.js";
import {
  aeadDecrypt,
  aeadEncrypt,
  parsePayV3Authorization,
  payV3RequestMessage,
  rsaSha256Sign,
  rsaSha256Verify,
  signPayV3Request,
  signPayV3Response,
  verifyPayV3Response,
} from "../src/pay-v3.js";

const WECHATPY_KEY = readFileSync(new URL("./fixtures/wechatpy-apiclient-key.pem", import.meta.url), "utf8");
const V3_VECTOR =
  "c4VewIfiOrSXkYtGqoZFzzjOr3LMhFFJRD5l18glbIUyXEF1wcG1euB4w5QdBlhgytM+28W7wmwqWTA8RsQWTBXR0YEXC6Mtd5xplSXlXghv7ORl0a2TRVQSuf/vhKOdXc54Ima3wqj8AOkMeaiswp8fdnwd6yq1s0bx6uchP9Q6PO0INGnpdH8NeKP21dlefeOc4H7OvnqHEyj/BsvdE1/DYUIFkw1q5fIAfxcUoqeXThtIL6ajLZgaaQJgYhPV7Cd6UMf5gY3yxKYWIWWHALtdWrn+pCcIPKrop/keqHE9wJPYtAP3uJ8UKohiHDft01X5ex0Es5Z12+lR9VLyEQ==";

describe("pay v3 request signature (§1.8)", () => {
  it("signs the wechatpy vector", () => {
    const message = payV3RequestMessage("GET", "test", 1651854037, "1E3A8D73B5A4AEE787C0F68B5DAB8520", "");
    expect(message).toBe("GET\ntest\n1651854037\n1E3A8D73B5A4AEE787C0F68B5DAB8520\n\n");
    expect(rsaSha256Sign(message, WECHATPY_KEY)).toBe(V3_VECTOR);
    const pub = createPublicKey(WECHATPY_KEY);
    expect(rsaSha256Verify(message, V3_VECTOR, pub)).toBe(true);
    expect(rsaSha256Verify(`${message}x`, V3_VECTOR, pub)).toBe(false);
    expect(rsaSha256Verify(message, "not base64 at all", pub)).toBe(false);
  });

  it("builds and parses the Authorization header", () => {
    const header = signPayV3Request({
      mchid: "1900000001",
      serialNo: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
      privateKey: WECHATPY_KEY,
      method: "GET",
      pathWithQuery: "test",
      body: "",
      timestamp: 1651854037,
      nonce: "1E3A8D73B5A4AEE787C0F68B5DAB8520",
    });
    expect(header.startsWith('WECHATPAY2-SHA256-RSA2048 mchid="1900000001",')).toBe(true);
    expect(parsePayV3Authorization(header)).toEqual({
      mchid: "1900000001",
      nonce_str: "1E3A8D73B5A4AEE787C0F68B5DAB8520",
      timestamp: "1651854037",
      serial_no: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
      signature: V3_VECTOR,
    });
    expect(parsePayV3Authorization('WECHATPAY2-SHA256-RSA2048 mchid="1"')).toBeNull();
    expect(parsePayV3Authorization("Bearer x")).toBeNull();
    expect(parsePayV3Authorization(undefined)).toBeNull();
  });

  it("signs and verifies responses with a platform key", () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const h = signPayV3Response('{"a":1}', privateKey, "SERIAL", 1700000000, "n1");
    expect(h["Wechatpay-Serial"]).toBe("SERIAL");
    const got = {
      timestamp: h["Wechatpay-Timestamp"],
      nonce: h["Wechatpay-Nonce"],
      signature: h["Wechatpay-Signature"],
    };
    expect(verifyPayV3Response('{"a":1}', got, publicKey)).toBe(true);
    expect(verifyPayV3Response('{"a":2}', got, publicKey)).toBe(false);
  });
});

describe("AEAD_AES_256_GCM (§1.9)", () => {
  const key = "0123456789abcdef0123456789abcdef";
  const plain = '{"out_trade_no":"T20240101001","trade_state":"SUCCESS","amount":{"total":100}}';
  const vector =
    "DUcclrHBE5NffFMk6pzEyhUOz1nixd+RDAIbIiVn4viseBYfh/8qbcuWbpCWntpuKcXC2Ssk2BGqr86HK9nZFIowCMh+lDU3bRJ+TDFD828u2s693LqkQzS31lqthQ==";
  it("matches the spec's vector both ways", () => {
    expect(aeadEncrypt(key, "fdasflkja484", "transaction", plain)).toBe(vector);
    expect(aeadDecrypt(key, "fdasflkja484", "transaction", vector)).toBe(plain);
  });
  it("fails on a wrong AAD, key or a short input", () => {
    expect(() => aeadDecrypt(key, "fdasflkja484", "certificate", vector)).toThrow();
    expect(() => aeadDecrypt("x".repeat(32), "fdasflkja484", "transaction", vector)).toThrow();
    expect(() => aeadDecrypt(key, "fdasflkja484", "transaction", "AAAA")).toThrow();
    expect(() => aeadEncrypt("short", "n", "a", "p")).toThrow();
  });
});

describe("refund req_info (§1.6)", () => {
  const key = "192006250b4c09247ec02edce69f6a2d";
  const plain =
    "<root><out_refund_no><![CDATA[R1]]></out_refund_no><refund_status><![CDATA[SUCCESS]]></refund_status></root>";
  const vector =
    "WBzGpzQuNpcFxIlFjUUD9BZv+lpBMzd2SHiKCkwfALWid5G8ZvfOussfMIHLbKJmcnxPKdb1ZJEqTAp8ysQv+xa1fj+Eorgndx3fNxf3KAYa3LPgsjvZgxaeYyrhV05Kbjkj6ywg27cEyTTaPZFYNg==";
  it("matches the spec's vector both ways", () => {
    expect(encryptRefundReqInfo(plain, key)).toBe(vector);
    expect(decryptRefundReqInfo(vector, key)).toBe(plain);
    expect(() => decryptRefundReqInfo(vector, "0".repeat(32))).toThrow();
  });
});
