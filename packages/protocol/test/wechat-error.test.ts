/** WeChat's error as both sides use it: the body it answers with, one read from a received body. */
import { describe, expect, it } from "vitest";
import { newRid } from "../src/rid.js";
import { parseRid, splitErrmsg, WechatError } from "../src/wechat-error.js";

describe("WechatError", () => {
  it("appends the rid as ' rid: …'", () => {
    expect(new WechatError(40001).toBody("66b5fb8f-5e3c0071-3d7f539a")).toEqual({
      errcode: 40001,
      errmsg: "invalid credential, access_token is invalid or not latest rid: 66b5fb8f-5e3c0071-3d7f539a",
    });
    expect(new WechatError(48001).toBody()).toEqual({ errcode: 48001, errmsg: "api unauthorized" });
  });

  it("accepts placeholder values and a replacement text", () => {
    const rid = newRid(1_700_000_000_000);
    expect(new WechatError(40164, { vars: { ip: "10.0.0.9" } }).toBody(rid).errmsg).toBe(
      `invalid ip 10.0.0.9, not in whitelist rid: ${rid}`,
    );
    expect(new WechatError(45009, { errmsg: "api freq out of limit" }).toBody().errmsg).toBe(
      "api freq out of limit",
    );
  });

  it("sends extra fields beside errcode and errmsg, and reads them back", () => {
    const sent = new WechatError(45065, { extra: { msgid: 1000000001 } }).toBody(
      "66b5fb8f-00000001-3d7f539a",
    );
    const received = WechatError.fromBody(sent);
    expect(received).toBeInstanceOf(Error);
    expect(received.errcode).toBe(45065);
    expect(received.errmsg).toBe(sent.errmsg);
    expect(received.rid).toBe("66b5fb8f-00000001-3d7f539a");
    expect(received.extra).toEqual({ msgid: 1000000001 });
    expect(received.toBody()).toEqual(sent);
    expect(WechatError.fromBody({ errcode: 48001, errmsg: "api unauthorized" })).toMatchObject({
      rid: undefined,
      extra: undefined,
    });
  });

  it("split off from received errmsgs in every form the spec shows", () => {
    expect(splitErrmsg("invalid appsecret, rid: 66b5fb8f-5e3c0071-3d7f539a")).toEqual({
      text: "invalid appsecret",
      rid: "66b5fb8f-5e3c0071-3d7f539a",
    });
    expect(
      splitErrmsg(
        "invalid credential, access_token is invalid or not latest rid: 60a47f32-6c752146-08923d1f",
      ),
    ).toEqual({
      text: "invalid credential, access_token is invalid or not latest",
      rid: "60a47f32-6c752146-08923d1f",
    });
    expect(splitErrmsg("invalid ip 61.172.68.219, not in whitelist hint: [KJZfAa0644e575]")).toEqual({
      text: "invalid ip 61.172.68.219, not in whitelist",
      hint: "KJZfAa0644e575",
    });
    expect(splitErrmsg("ok")).toEqual({ text: "ok" });
    expect(splitErrmsg("rid: 66b5fb8f-5e3c0071-3d7f539a")).toEqual({
      text: "",
      rid: "66b5fb8f-5e3c0071-3d7f539a",
    });
    expect(parseRid("invalid appsecret, rid: 66b5fb8f-5e3c0071-3d7f539a")).toBe("66b5fb8f-5e3c0071-3d7f539a");
    expect(parseRid("the grid: 66b5fb8f-5e3c0071-3d7f539a")).toBeUndefined();
  });
});
