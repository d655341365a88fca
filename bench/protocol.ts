/**
 * Safe-mode message pipeline per second, in one process without HTTP: verify + decrypt a text push,
 * parse it, build a text reply, encrypt + sign the reply envelope.
 *   ours:    openInbound → parseInbound → buildReplyXml → sealReply (@mpstack/protocol)
 *   peer:    wechat-crypto + xml2js (parseString + Builder), as node-webot's `wechat` middleware does
 *   ceiling: bare node:crypto AES-256-CBC decrypt + encrypt of the same ciphertext bytes
 * Runs the three in alternating rounds and reports the median round of each.
 * Env: BENCH_SECONDS (per round and kind, default 1), BENCH_ROUNDS (default 5).
 */
import { createCipheriv, createDecipheriv, createHash } from "node:crypto";
import { createRequire } from "node:module";
import {
  buildReplyXml,
  MessageCrypto,
  openInbound,
  openReply,
  parseInbound,
  parseReplyXml,
  sealInbound,
  sealReply,
} from "@mpstack/protocol";

const ACCOUNT = {
  token: "benchtoken",
  appId: "wx0123456789abcdef",
  encodingAESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
  originalId: "gh_0123456789ab",
};
const OPENID = "oTestUser0000000000000000001";
const REPLY_TEXT = "Thanks, we got your message. 收到，谢谢！";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const POOL = 512;

// ---------------------------------------------------------------------------------------------------
// Fixtures: distinct safe-mode pushes, signed and encrypted as the platform sends them

interface Push {
  query: Record<string, string>;
  body: string;
}

const crypto = new MessageCrypto(ACCOUNT.encodingAESKey, ACCOUNT.appId);
const now = Math.floor(Date.now() / 1000);
const pushes: Push[] = [];
for (let i = 0; i < POOL; i++) {
  const xml =
    `<xml><ToUserName><![CDATA[${ACCOUNT.originalId}]]></ToUserName>\n` +
    `<FromUserName><![CDATA[${OPENID}]]></FromUserName>\n<CreateTime>${now - i}</CreateTime>\n` +
    `<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[Hello #${i}, 你好]]></Content>\n` +
    `<MsgId>${24000000000000000n + BigInt(i)}</MsgId>\n</xml>`;
  pushes.push(
    sealInbound({
      xml,
      mode: "safe",
      token: ACCOUNT.token,
      crypto,
      timestamp: String(now - i),
      nonce: String(100000000 + i),
      openid: OPENID,
      appId: ACCOUNT.appId,
      toUserName: ACCOUNT.originalId,
    }),
  );
}

// ---------------------------------------------------------------------------------------------------
// ours

function ours(push: Push): string {
  const opened = openInbound({ query: push.query, body: push.body, token: ACCOUNT.token, crypto });
  const message = parseInbound(opened.xml);
  const reply = buildReplyXml(
    { type: "text", content: REPLY_TEXT },
    { toUserName: message.FromUserName, fromUserName: message.ToUserName, createTime: now },
  );
  return sealReply({
    xml: reply,
    mode: opened.mode,
    token: ACCOUNT.token,
    crypto,
    timestamp: push.query.timestamp!,
    nonce: push.query.nonce!,
  });
}

// ---------------------------------------------------------------------------------------------------
// peer: wechat-crypto + xml2js, the same steps node-webot's middleware takes

interface PeerCrypto {
  encrypt(text: string): string;
  decrypt(text: string): { message: string; id: string };
  getSignature(timestamp: string, nonce: string, encrypt: string): string;
}
type XmlTree = { xml: Record<string, string[]> };
interface Xml2js {
  parseString(xml: string, options: object, callback: (error: Error | null, result: XmlTree) => void): void;
  Builder: new (options: object) => { buildObject(root: object): string };
}
const require = createRequire(import.meta.url);
const WXBizMsgCrypt = require("wechat-crypto") as new (token: string, key: string, id: string) => PeerCrypto;
const xml2js = require("xml2js") as Xml2js;
const peerCrypto = new WXBizMsgCrypt(ACCOUNT.token, ACCOUNT.encodingAESKey, ACCOUNT.appId);
const builder = new xml2js.Builder({
  rootName: "xml",
  cdata: true,
  headless: true,
  renderOpts: { pretty: false },
});

/** xml2js calls back synchronously for string input (async: false, the default). */
function parseSync(xml: string): Record<string, string[]> {
  let tree: XmlTree | undefined;
  xml2js.parseString(xml, { trim: true }, (error, result) => {
    if (error) throw error;
    tree = result;
  });
  if (tree === undefined) throw new Error("xml2js did not answer synchronously");
  return tree.xml;
}

function peer(push: Push): string {
  const { signature, timestamp, nonce, msg_signature } = push.query as Record<string, string>;
  const expected = createHash("sha1").update([ACCOUNT.token, timestamp, nonce].sort().join("")).digest("hex");
  if (expected !== signature) throw new Error("peer: bad signature");
  const envelope = parseSync(push.body);
  const encrypt = envelope.Encrypt![0]!;
  if (peerCrypto.getSignature(timestamp!, nonce!, encrypt) !== msg_signature)
    throw new Error("peer: bad msg_signature");
  const decrypted = peerCrypto.decrypt(encrypt);
  if (decrypted.id !== ACCOUNT.appId) throw new Error("peer: appid mismatch");
  const message = parseSync(decrypted.message);
  const reply = builder.buildObject({
    ToUserName: message.FromUserName![0],
    FromUserName: message.ToUserName![0],
    CreateTime: now,
    MsgType: "text",
    Content: REPLY_TEXT,
  });
  const replyEncrypt = peerCrypto.encrypt(reply);
  return builder.buildObject({
    Encrypt: replyEncrypt,
    MsgSignature: peerCrypto.getSignature(timestamp!, nonce!, replyEncrypt),
    TimeStamp: timestamp,
    Nonce: nonce,
  });
}

// ---------------------------------------------------------------------------------------------------
// ceiling: AES-256-CBC decrypt + encrypt of the same bytes, nothing else

const rawKey = Buffer.from(`${ACCOUNT.encodingAESKey}=`, "base64");
const rawIv = rawKey.subarray(0, 16);
const cipherBytes = pushes.map((p) =>
  Buffer.from(/<Encrypt><!\[CDATA\[(.*?)\]\]>/.exec(p.body)![1]!, "base64"),
);

function ceiling(bytes: Buffer): number {
  const decipher = createDecipheriv("aes-256-cbc", rawKey, rawIv).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(bytes), decipher.final()]);
  const cipher = createCipheriv("aes-256-cbc", rawKey, rawIv).setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).length;
}

// ---------------------------------------------------------------------------------------------------
// Check that each pipeline really works before timing it

function checkReply(envelope: string, push: Push): void {
  const { xml } = openReply({ body: envelope, mode: "safe", token: ACCOUNT.token, crypto });
  const parsed = parseReplyXml(xml);
  if (parsed.reply.type !== "text" || parsed.reply.content !== REPLY_TEXT || parsed.toUserName !== OPENID) {
    throw new Error(`unexpected reply to ${push.query.nonce}: ${xml}`);
  }
}
for (const push of pushes.slice(0, 8)) {
  checkReply(ours(push), push);
  checkReply(peer(push), push);
}
if (ceiling(cipherBytes[0]!) !== cipherBytes[0]!.length)
  throw new Error("ceiling round trip changed the length");

// ---------------------------------------------------------------------------------------------------
// Timing

type Kind = "ours" | "peer" | "ceiling";
const work: Record<Kind, (i: number) => unknown> = {
  ours: (i) => ours(pushes[i % POOL]!),
  peer: (i) => peer(pushes[i % POOL]!),
  ceiling: (i) => ceiling(cipherBytes[i % POOL]!),
};

let sink = 0;
function measure(kind: Kind, seconds: number): number {
  const fn = work[kind];
  const deadline = performance.now() + seconds * 1000;
  let ops = 0;
  const started = performance.now();
  while (performance.now() < deadline) {
    for (let k = 0; k < 32; k++) {
      const out = fn(ops++);
      if (typeof out === "string") sink += out.length;
    }
  }
  return ops / ((performance.now() - started) / 1000);
}

const kinds: Kind[] = ["ours", "peer", "ceiling"];
for (const kind of kinds) measure(kind, Math.min(0.5, SECONDS)); // warm-up (JIT)
const samples: Record<Kind, number[]> = { ours: [], peer: [], ceiling: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const kind of kinds) samples[kind].push(measure(kind, SECONDS));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const result = { ours: median(samples.ours), peer: median(samples.peer), ceiling: median(samples.ceiling) };

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
console.log(
  `safe-mode text push → text reply, ${ROUNDS} rounds × ${SECONDS}s each, median (sink ${sink % 10})`,
);
console.log(
  `  ours     ${fmt(result.ours)} ops/s   (openInbound → parseInbound → buildReplyXml → sealReply)`,
);
console.log(`  peer     ${fmt(result.peer)} ops/s   (wechat-crypto + xml2js)`);
console.log(`  ceiling  ${fmt(result.ceiling)} ops/s   (node:crypto AES-256-CBC decrypt + encrypt)`);
console.log(
  `  ours/peer ${(result.ours / result.peer).toFixed(2)}×, ours/ceiling ${(result.ours / result.ceiling).toFixed(2)}×`,
);
console.log(
  JSON.stringify({
    bench: "protocol",
    unit: "ops/s",
    ours: Math.round(result.ours),
    peer: Math.round(result.peer),
    ceiling: Math.round(result.ceiling),
    vs_peer: Number((result.ours / result.peer).toFixed(2)),
    vs_ceiling: Number((result.ours / result.ceiling).toFixed(2)),
  }),
);
