/**
 * What the envelope tests share: the published safe-mode push of spec/crypto.md V3 (ciphertext, query,
 * key) and a helper that expects a MessageCryptoError.
 */
import { MessageCrypto, MessageCryptoError } from "../src/crypto.js";

export function errorOf(fn: () => unknown): MessageCryptoError {
  try {
    fn();
  } catch (error) {
    if (error instanceof MessageCryptoError) return error;
    throw new Error(`expected a MessageCryptoError, got ${String(error)}`);
  }
  throw new Error("expected a MessageCryptoError, nothing was thrown");
}

export const V3_ENCRYPT =
  "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=";
export const V3_QUERY = {
  signature: "6c5c811b55cc85e0e1b54100749188c20beb3f5d",
  timestamp: "1714112445",
  nonce: "415670741",
  openid: "o9AgO5Kd5ggOC-bXrbNODIiE3bGY",
  encrypt_type: "aes",
  msg_signature: "046e02f8204d34f8ba5fa3b1db94908f3df2e9b3",
};
export const V3_CRYPTO = new MessageCrypto("A".repeat(43), "wxba5fad812f8e6fb9");
