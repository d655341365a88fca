/**
 * Message crypto: EncodingAESKey decoding, the published test vectors, the framing, a cross-check
 * with node-webot's wechat-crypto, and round-trip properties.
 */
import { createDecipheriv, randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeEncodingAESKey, MessageCrypto, MessageCryptoError } from "../src/crypto.js";
import { computeMsgSignature, computeSignature } from "../src/signature.js";

/** The peer implementation (node-webot/wechat-crypto, CommonJS, untyped). */
interface WXBizMsgCrypt {
  encrypt(text: string): string;
  decrypt(text: string): { message: string; id: string };
  getSignature(timestamp: string, nonce: string, encrypt: string): string;
}
type WXBizMsgCryptCtor = new (token: string, encodingAESKey: string, id: string) => WXBizMsgCrypt;
const require = createRequire(import.meta.url);
const PeerCrypto = require("wechat-crypto") as WXBizMsgCryptCtor;

/** Raw AES-256-CBC decrypt without unpadding, to look at the frame and the pad bytes. */
function rawFrame(encodingAESKey: string, encrypted: string): Buffer {
  const key = decodeEncodingAESKey(encodingAESKey);
  const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([decipher.update(Buffer.from(encrypted, "base64")), decipher.final()]);
}

const V3_ENCRYPT =
  "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=";
const V3_MSG =
  '{"ToUserName":"gh_97417a04a28d","FromUserName":"o9AgO5Kd5ggOC-bXrbNODIiE3bGY","CreateTime":1714112445,"MsgType":"event","Event":"debug_demo","debug_str":"hello world"}';
const A43 = "A".repeat(43);

describe("EncodingAESKey (spec/crypto.md §2)", () => {
  it("decodes 43 chars + '=' to 32 bytes, lenient about the discarded trailing bits", () => {
    expect(decodeEncodingAESKey("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG").toString("hex")).toBe(
      "69b71d79f8218a39259a7a29aabb2dbafc31cb3d35db7e39ebbf3d0010831051",
    );
    expect(decodeEncodingAESKey("mNnY5GekpChwqhy2c4NBH90g3hND6GeI4gii2YCvKLY").toString("hex")).toBe(
      "98d9d8e467a4a42870aa1cb67383411fdd20de1343e86788e208a2d980af28b6",
    );
    expect(decodeEncodingAESKey(A43).toString("hex")).toBe("00".repeat(32));
  });

  it.each([
    ["too short", "A".repeat(42)],
    ["too long", "A".repeat(44)],
    ["empty", ""],
    ["Base64 '+' is not an EncodingAESKey character", `${"A".repeat(42)}+`],
    ["padding inside", `${"A".repeat(42)}=`],
    ["non-ASCII", `${"A".repeat(42)}中`],
  ])("rejects a key that is %s with InvalidKey (-40004)", (_why, key) => {
    const error = (() => {
      try {
        new MessageCrypto(key, "wx0000000000000000");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(MessageCryptoError);
    expect((error as MessageCryptoError).code).toBe("InvalidKey");
    expect((error as MessageCryptoError).officialCode).toBe(-40004);
  });
});

describe("published vectors (spec/crypto.md §9)", () => {
  it("V3: decrypts the official safe-mode push, frame byte for byte", () => {
    const crypto = new MessageCrypto(A43, "wxba5fad812f8e6fb9");
    expect(crypto.decrypt(V3_ENCRYPT)).toEqual({ message: V3_MSG, appId: "wxba5fad812f8e6fb9" });
    expect(computeMsgSignature("AAAAA", "1714112445", "415670741", V3_ENCRYPT)).toBe(
      "046e02f8204d34f8ba5fa3b1db94908f3df2e9b3",
    );
    const frame = rawFrame(A43, V3_ENCRYPT);
    expect(frame.length).toBe(224);
    expect(frame[223]).toBe(0x13);
    expect(frame.subarray(0, 16).toString()).toBe("a8eedb185eb2fecf");
    expect(frame.readUInt32BE(16)).toBe(167);
    // re-encrypting with the recovered random reproduces the ciphertext
    expect(crypto.encrypt(V3_MSG, Buffer.from("a8eedb185eb2fecf"))).toBe(V3_ENCRYPT);
  });

  it("V4: reply encryption with a given random", () => {
    const crypto = new MessageCrypto(A43, "wxba5fad812f8e6fb9");
    const encrypt = crypto.encrypt('{"demo_resp":"good luck"}', Buffer.from("707722b803182950"));
    expect(encrypt).toBe(
      "ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==",
    );
    expect(computeMsgSignature("AAAAA", "1713424427", "415670741", encrypt)).toBe(
      "1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1",
    );
  });

  describe("V5: official Java sample vector", () => {
    const crypto = new MessageCrypto("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxb11529c136998cb6");
    const random = Buffer.from("aaaabbbbccccdddd");
    const v5a = "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==";
    const v5bMsg =
      "<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>";
    const v5b =
      "jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb";

    it("V5a: Chinese message (19 UTF-8 bytes), encrypt and decrypt", () => {
      expect(crypto.encrypt("我是中文abcd123", random)).toBe(v5a);
      expect(crypto.decrypt(v5a).message).toBe("我是中文abcd123");
      expect(rawFrame("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", v5a).readUInt32BE(16)).toBe(19);
    });

    it("V5b: video reply XML", () => {
      expect(crypto.encrypt(v5bMsg, random)).toBe(v5b);
      expect(crypto.decrypt(v5b).message).toBe(v5bMsg);
    });

    it("derived MsgSignature of V5a", () => {
      expect(computeMsgSignature("pamtest", "1409304348", "xxxxxx", v5a)).toBe(
        "82c962d39941aa48552f90ef55aa323dc620cc10",
      );
    });
  });

  it("V6: EasyWeChat decryption vector; another appid fails with -40005", () => {
    const encrypt =
      "rTNFcsut4LfGuAFKEUVVpwcaCOTJzOd9twZdIW910jb3k+iicx2uvhttIZ3Qg9Qgty3BEF2xbOrz6boTfb30dMomcgrkTqdFPwnhqbk+kIQ7rZiwny9D7NUrTgA5kpX3KsZvrXzUZyP2x9YOlxbgm572lmxKvM7HAQQhIQ/p6HBmoY30bGXFK0BtIu1pW9TjhOYrLQoU18nWYjWqDA1ynkmOytpv7QRI1P1+0NoxL0q2zO1DgeSvnE8CZGo/o5Ap/WHK5W2RAsinpzN4/LjPnmB6U01I5XCoJoC0GK/yMZycd2Oh8Nq6+wBkC1U85oy0ktOY4nLvsQMLrourmMGdZHuTbqpeJ8Ao/5PRYJ+WBvRUwPfGKBL2+2IKZF49vAJqkcGWSHGE76ZN2erXeuNazf/o9o3lIE3q739o4c8t9QGPe31GT2Go/rOz1BsrASwvauNulCh+++yz+CQzBIuikA==";
    const key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    expect(computeMsgSignature("pamtest", "1458300676", "260774613", encrypt)).toBe(
      "4f3ad57b6989f09f4eb392acce4f9e93942ed890",
    );
    expect(new MessageCrypto(key, "wxb11529c136998cb6").decrypt(encrypt).message).toBe(
      "<xml><URL><![CDATA[http://wechat.laravel.so/server]]></URL><ToUserName><![CDATA[asdasdasd]]></ToUserName><FromUserName><![CDATA[asdasdasdsadasd]]></FromUserName><CreateTime>1234567898</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content><MsgId>12345</MsgId></xml>",
    );
    expect(rawFrame(key, encrypt).subarray(0, 16).toString()).toBe("d43123b161a4ba84");
    expect(rawFrame(key, encrypt).readUInt32BE(16)).toBe(293);
    const other = new MessageCrypto(key, "wx0000000000000000");
    expect(() => other.decrypt(encrypt)).toThrowError(
      expect.objectContaining({ code: "AppIdMismatch", officialCode: -40005 }),
    );
    expect(other.decryptAnyAppId(encrypt).appId).toBe("wxb11529c136998cb6");
  });

  it("V7: 2014 compatible-mode capture", () => {
    const encrypt =
      "2gUBUpAeuPFKBS+gkcvrR1cBq1VjTOQluB7+FQF00VnybRpYR3xko4S4wh0qD+64cWmJfF93ZNLm+HLZBexjHLAdJBs5RBG2rP1AJnU0/1vQU/Ac9Q1Nq7vfC4l3ciF8YwhQW0o/GE4MYWWakgdwnp0hQ7aVVwqMLd67A5bsURQHJiFY/cH0fVlsKe6J3aazGhRXFCxceOq2VTJ2Eulc8aBDVSM5/lAIUA/JPq5Z2RzomM0+aoa5XIfGyAtAdlBXD0ADTemxgfYAKI5EMfKtH5za3dKV2UWbGAlJQZ0fwrwPx6Rs8MsoEtyxeQ52gO94gafA+/kIVjamKTVLSgudLLz5rAdGneKkBVhXyfyfousm1DoDRjQdAdqMWpwbeG5hanoJyJiH+humW/1q8PAAiaEfA+BOuvBk/a5xL0Q2l2k=";
    expect(computeSignature("weixin", "1414387151", "917222494")).toBe(
      "e3203b6433eb554dd2fcba78fa48cb948fcb4801",
    );
    expect(computeMsgSignature("weixin", "1414387151", "917222494", encrypt)).toBe(
      "ae70d4e343d946fc0477a5c760b95be0947fddbb",
    );
    const crypto = new MessageCrypto("mNnY5GekpChwqhy2c4NBH90g3hND6GeI4gii2YCvKLY", "wx669ef95216eef885");
    expect(crypto.decrypt(encrypt).message).toBe(
      "<xml><ToUserName><![CDATA[gh_a96a4a619366]]></ToUserName>\n<FromUserName><![CDATA[olPjZjsXuQPJoV0HlruZkNzKc91E]]></FromUserName>\n<CreateTime>1414387151</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[你好]]></Content>\n<MsgId>6074746557628292943</MsgId>\n</xml>",
    );
    expect(rawFrame("mNnY5GekpChwqhy2c4NBH90g3hND6GeI4gii2YCvKLY", encrypt).readUInt32BE(16)).toBe(279);
  });

  it("V8: official C# / WeCom sample (receiveid = CorpID)", () => {
    const encrypt =
      "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";
    const key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    expect(decodeEncodingAESKey(key).toString("hex")).toBe(
      "8d69989bbaabe67328014c194631ad0719b3dca035b64023df292447aab60760",
    );
    expect(computeMsgSignature("QDG6eK", "1409659813", "1372623149", encrypt)).toBe(
      "477715d11cdb4164915debcba66cb864d751f3e6",
    );
    const { message } = new MessageCrypto(key, "wx5823bf96d3bd56c7").decrypt(encrypt);
    expect(Buffer.byteLength(message)).toBe(284);
    for (const part of [
      "<ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>",
      "<FromUserName><![CDATA[mycreate]]></FromUserName>",
      "<CreateTime>1409659813</CreateTime>",
      "<Content><![CDATA[hello]]></Content>",
      "<MsgId>4561255354251345929</MsgId>",
      "<AgentID>218</AgentID>",
    ]) {
      expect(message).toContain(part);
    }
    expect(rawFrame(key, encrypt).subarray(0, 16).toString()).toBe("0960688932c47ef1");
  });

  describe("V9: wechatpy (WeCom flavour)", () => {
    const key = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
    const crypto = new MessageCrypto(key, "wx49f0ab532d5d035a");

    it("V9a: encrypted echostr", () => {
      const echostr =
        "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==";
      expect(computeMsgSignature("123456", "1411443780", "437374425", echostr)).toBe(
        "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96",
      );
      expect(computeMsgSignature("123456", "1411443780", "437374424", echostr)).not.toBe(
        "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96",
      );
      expect(crypto.decrypt(echostr).message).toBe("5927782489442352469");
    });

    it("V9b: encrypt with a fixed random", () => {
      const reply =
        "<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>";
      const encrypt = crypto.encrypt(reply, Buffer.from("1234567890123456"));
      expect(encrypt).toBe(
        "9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3",
      );
      expect(computeMsgSignature("123456", "1411525903", "461056294", encrypt)).toBe(
        "407518b7649e86ef23978113f92d27afa9296533",
      );
    });

    it("V9c: decrypt (pad byte 1)", () => {
      const encrypt =
        "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=";
      expect(computeMsgSignature("123456", "1411525903", "461056294", encrypt)).toBe(
        "74d92dfeb87ba7c714f89d98870ae5eb62dff26d",
      );
      const frame = rawFrame(key, encrypt);
      expect(frame[frame.length - 1]).toBe(1);
      expect(frame.subarray(0, 16).toString()).toBe("ec90b1530358d4d3");
      expect(frame.readUInt32BE(16)).toBe(281);
      const { message } = crypto.decrypt(encrypt);
      expect(message).toContain("<Content><![CDATA[test]]></Content>");
      expect(message).toContain("<FromUserName><![CDATA[messense]]></FromUserName>");
    });
  });

  it("V10: PowerWeChat (WeCom) — the trailing receiveid is wwedab3d5fc43636d8, not the configured 1000005", () => {
    const encrypt =
      "ZBY4h9SD1Y/v+ighMGU4yHSVWyMuf2UdQQfFuB8S/SY5il9MynR1rtKIJDG871vOqaCs0FVje6bX0VyhvL02PG7FXjRR+rAyiwVv7T7nBGgamkPeOv4n/jXgFQnY6NEt3Zym09t4aI+21pDcE6uN6JzcC+hxw5sBfVyza3NHyuLiyhvalsFbasA4HNcnK+4/3eZLMo+e6yvHUsY4WhmZWW5u5mHcDZm1jtI2fUtzod6Sx7PrCOhm+zUO1I98OD0EmICxHHMjMkGmSFuGhG8vXRKaRavzvV/fkscZK1HjW+XJOV0c9wYDZT+/LTjDS/yx5KkM5lIksiw57DsCro9gvmE1WdvB3bw3m+5ie2x1ZRSuh6ik1rbMTiXgJXt0MnbV8VsyPe1zhkbug1cwdhT9zcOTieb0oyiIl3wSAEkNNBNBaWB+78V1hM/ngMoZgKaaasJUCGtPH/rN+YnxGicDOg==";
    expect(computeMsgSignature("pcoLldqMu2WQQtYBeDX5HiXPsBFlTnDM", "1623301925", "1624217036", encrypt)).toBe(
      "d728d2bea7e28585ebd14eacbd330d84073fe7f1",
    );
    const key = "CyjBvGm4tJNmcThkeL5Wajzom4jKlBygKtpTkYeqsnE";
    const expected =
      "<xml><ToUserName><![CDATA[wwedab3d5fc43636d8]]></ToUserName><FromUserName><![CDATA[WangChaoYi]]></FromUserName><CreateTime>1623301925</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[密文测试]]></Content><MsgId>6972028683187026694</MsgId><AgentID>1000005</AgentID></xml>";
    expect(() => new MessageCrypto(key, "1000005").decrypt(encrypt)).toThrowError(
      expect.objectContaining({ code: "AppIdMismatch" }),
    );
    expect(new MessageCrypto(key, "1000005").decryptAnyAppId(encrypt)).toEqual({
      message: expected,
      appId: "wwedab3d5fc43636d8",
    });
    expect(new MessageCrypto(key, "wwedab3d5fc43636d8").decrypt(encrypt).message).toBe(expected);
    expect(rawFrame(key, encrypt).subarray(0, 16).toString()).toBe("7280972634e7f649");
  });

  it("V12: a full 32-byte pad block (what a 16-byte PKCS#7 library gets wrong)", () => {
    const crypto = new MessageCrypto(A43, "wxba5fad812f8e6fb9");
    const encrypt = crypto.encrypt("abcdefghijklmnopqrstuvwxyz", Buffer.from("0123456789abcdef"));
    expect(encrypt).toBe(
      "uMMzGtqcnpOzXOYBwDQNreOzv02yzI0bkPPytDAr20xVHmHdVW0O92RuUcMCuXN4DMkboHlg4Y+oen1qwCcKBZ0fonDVqWBDlWtYlGIvdUH71ANvK32Zc5HlRO7GXLLl",
    );
    const frame = rawFrame(A43, encrypt);
    expect(frame.length).toBe(96);
    expect([...frame.subarray(64)]).toEqual(new Array(32).fill(0x20));
    expect(crypto.decrypt(encrypt).message).toBe("abcdefghijklmnopqrstuvwxyz");
    expect(computeMsgSignature("AAAAA", "1700000000", "1234567890", encrypt)).toBe(
      "072b2a37a0a2ac2f9ccc0dc9d46bab32111cff7b",
    );
  });
});

describe("framing", () => {
  it("pads every length to a multiple of 32 with pad values 1..32", () => {
    const crypto = new MessageCrypto(A43, "wxba5fad812f8e6fb9");
    const seen = new Set<number>();
    for (let n = 0; n < 64; n++) {
      const encrypt = crypto.encrypt("x".repeat(n));
      const frame = rawFrame(A43, encrypt);
      expect(frame.length % 32).toBe(0);
      const pad = frame[frame.length - 1]!;
      expect(pad).toBe(32 - ((20 + n + 18) % 32));
      seen.add(pad);
      expect(crypto.decrypt(encrypt).message).toBe("x".repeat(n));
    }
    expect(seen.size).toBe(32);
  });

  it("uses a fresh random prefix per message and rejects a prefix that is not 16 bytes", () => {
    const crypto = new MessageCrypto(A43, "wxba5fad812f8e6fb9");
    expect(crypto.encrypt("same")).not.toBe(crypto.encrypt("same"));
    expect(() => crypto.encrypt("x", Buffer.alloc(15))).toThrowError(
      expect.objectContaining({ code: "EncryptFailed" }),
    );
  });

  it("can write another trailing appid (the simulator forges mismatches with it)", () => {
    const crypto = new MessageCrypto(A43, "wxba5fad812f8e6fb9");
    const encrypt = crypto.encrypt("hi", undefined, "wxother");
    expect(crypto.decryptAnyAppId(encrypt)).toEqual({ message: "hi", appId: "wxother" });
    expect(() => crypto.decrypt(encrypt)).toThrowError(expect.objectContaining({ code: "AppIdMismatch" }));
  });
});

/** Messages of every flavour the cross-check must cover. */
const cjk = fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c));
const emoji = fc.integer({ min: 0x1f300, max: 0x1faff }).map((c) => String.fromCodePoint(c));
const anyMessage = fc.oneof(
  fc.constant(""),
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc
    .array(fc.oneof(cjk, emoji, fc.string({ maxLength: 3 })), { maxLength: 200 })
    .map((parts) => parts.join("")),
);
const anyKey = fc
  .array(fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"), {
    minLength: 43,
    maxLength: 43,
  })
  .map((chars) => chars.join(""));
const anyAppId = fc.stringMatching(/^wx[0-9a-f]{16}$/);

describe("cross-check with wechat-crypto (node-webot)", () => {
  it("1,000 random messages: ours → theirs and theirs → ours, signatures agree", () => {
    fc.assert(
      fc.property(anyKey, anyAppId, anyMessage, fc.nat(), fc.nat(), (key, appId, message, ts, nonce) => {
        const ours = new MessageCrypto(key, appId);
        const theirs = new PeerCrypto("token", key, appId);
        const byOurs = ours.encrypt(message);
        expect(theirs.decrypt(byOurs)).toEqual({ message, id: appId });
        const byTheirs = theirs.encrypt(message);
        expect(ours.decrypt(byTheirs)).toEqual({ message, appId });
        expect(computeMsgSignature("token", String(ts), String(nonce), byOurs)).toBe(
          theirs.getSignature(String(ts), String(nonce), byOurs),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it("one long-lived instance stays exact across many messages, failures in between included", () => {
    const key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    const ours = new MessageCrypto(key, "wxb11529c136998cb6");
    const theirs = new PeerCrypto("token", key, "wxb11529c136998cb6");
    fc.assert(
      fc.property(anyMessage, fc.nat({ max: 3 }), (message, failure) => {
        const byOurs = ours.encrypt(message);
        expect(theirs.decrypt(byOurs).message).toBe(message);
        // failed decryptions of every kind must not disturb the next message
        const bytes = Buffer.from(byOurs, "base64");
        const bad = [
          bytes.subarray(0, 16).toString("base64"),
          Buffer.concat([bytes, Buffer.alloc(16, 7)]).toString("base64"),
          "!!!!",
          bytes.subarray(0, bytes.length - 8).toString("base64"),
        ][failure]!;
        expect(() => ours.decrypt(bad)).toThrow(MessageCryptoError);
        expect(ours.decrypt(theirs.encrypt(message)).message).toBe(message);
        expect(ours.decrypt(byOurs).message).toBe(message);
      }),
      { numRuns: 300 },
    );
    // and a published vector still comes out byte for byte afterwards
    expect(ours.encrypt("我是中文abcd123", Buffer.from("aaaabbbbccccdddd"))).toBe(
      "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==",
    );
  });

  it("2 MB messages (ASCII and Chinese) both ways", () => {
    const key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    const ours = new MessageCrypto(key, "wxb11529c136998cb6");
    const theirs = new PeerCrypto("token", key, "wxb11529c136998cb6");
    const big = [
      randomBytes(1024 * 1024 * 1.5).toString("base64"),
      "中文😀".repeat((2 * 1024 * 1024) / 10),
      `<xml><Content><![CDATA[${"z".repeat(2 * 1024 * 1024)}]]></Content></xml>`,
    ];
    for (const message of big) {
      expect(Buffer.byteLength(message)).toBeGreaterThanOrEqual(2 * 1024 * 1024 - 64);
      expect(theirs.decrypt(ours.encrypt(message)).message).toBe(message);
      expect(ours.decrypt(theirs.encrypt(message)).message).toBe(message);
    }
  });
});

describe("properties", () => {
  it("decrypt(encrypt(m)) = m for any key, appid and message", () => {
    fc.assert(
      fc.property(
        anyKey,
        fc.string({ maxLength: 40 }),
        anyMessage,
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (key, appId, message, random) => {
          const crypto = new MessageCrypto(key, appId);
          const encrypt = crypto.encrypt(message, Buffer.from(random));
          expect(Buffer.from(encrypt, "base64").length % 32).toBe(0);
          expect(crypto.decrypt(encrypt)).toEqual({ message, appId });
        },
      ),
      { numRuns: 300 },
    );
  });
});
