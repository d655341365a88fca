/**
 * The pushes the handler benchmarks send: text pushes with distinct MsgIds, signed (and in safe mode
 * encrypted) as the platform would, for a made-up account.
 */
import { MessageCrypto, type SecurityMode, sealInbound } from "@mpstack/protocol";

/** Shared account settings of the handler benchmarks (made-up values). */
export const ACCOUNT = {
  token: "benchtoken",
  appId: "wx0123456789abcdef",
  encodingAESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
  originalId: "gh_0123456789ab",
} as const;

export const OPENID = "oTestUser0000000000000000001";
export const REPLY_TEXT = "Thanks, we got your message.";

export type BenchMode = Extract<SecurityMode, "plain" | "safe">;

export interface PushRequest {
  path: string;
  body: string;
}

export function pushXml(msgId: string, createTime: number): string {
  return (
    `<xml><ToUserName><![CDATA[${ACCOUNT.originalId}]]></ToUserName>\n` +
    `<FromUserName><![CDATA[${OPENID}]]></FromUserName>\n` +
    `<CreateTime>${createTime}</CreateTime>\n` +
    "<MsgType><![CDATA[text]]></MsgType>\n" +
    "<Content><![CDATA[Hello, account!]]></Content>\n" +
    `<MsgId>${msgId}</MsgId>\n</xml>`
  );
}

/**
 * Distinct pushes (distinct MsgIds, so that de-duplication never short-cuts a run), signed as the
 * platform would sign them, with fresh timestamps.
 */
export function pushPool(mode: BenchMode, count: number, path = "/wx"): PushRequest[] {
  const crypto = new MessageCrypto(ACCOUNT.encodingAESKey, ACCOUNT.appId);
  const now = Math.floor(Date.now() / 1000);
  const pool: PushRequest[] = [];
  for (let i = 0; i < count; i++) {
    const sealed = sealInbound({
      xml: pushXml(String(24_000_000_000_000_000n + BigInt(i)), now),
      mode,
      token: ACCOUNT.token,
      crypto,
      timestamp: String(now),
      nonce: String(100_000_000 + i),
      openid: OPENID,
      appId: ACCOUNT.appId,
      toUserName: ACCOUNT.originalId,
    });
    pool.push({ path: `${path}?${new URLSearchParams(sealed.query)}`, body: sealed.body });
  }
  return pool;
}
