/**
 * WeChat Pay v2 signatures against the spec's worked example.
 */
import { describe, expect, it } from "vitest";
import { paySign, payStringToSign, verifyPaySign } from "../src/pay.js";

const KEY = "192006250b4c09247ec02edce69f6a2d";

describe("paySign v2 (spec/applied-features.md §1.2)", () => {
  const official = {
    appid: "wxd930ea5d5a258f4f",
    mch_id: "10000100",
    device_info: 1000,
    body: "test",
    nonce_str: "ibuaiVcKdpRxkhJA",
  };

  it("official vector: stringA, MD5 and HMAC-SHA256", () => {
    expect(payStringToSign(official, KEY)).toBe(
      `appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA&key=${KEY}`,
    );
    expect(paySign(official, KEY)).toBe("9A0A8659F005D6984697E2CA0A9CF3B7");
    expect(paySign(official, KEY, "MD5")).toBe("9A0A8659F005D6984697E2CA0A9CF3B7");
    expect(paySign(official, KEY, "HMAC-SHA256")).toBe(
      "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6",
    );
  });

  it("skips empty values and the sign field", () => {
    expect(paySign({ ...official, sign: "WHATEVER", attach: "", detail: undefined, x: null }, KEY)).toBe(
      "9A0A8659F005D6984697E2CA0A9CF3B7",
    );
  });

  it("wechatpy vectors", () => {
    expect(paySign({ test1: "test1", test2: "test2" }, KEY)).toBe("1E3A8D73B5A4AEE787C0F68B5DAB8520");
    expect(paySign({ test1: "test1", test2: "test2" }, KEY, "HMAC-SHA256")).toBe(
      "EDAC6D70D2FDF5A2382F8204FC96A1918017E46ACC5297F565ED1A7610ACF659",
    );
  });

  it("unified order example (§1.3)", () => {
    const order = {
      appid: "wx2421b1c4370ec43b",
      body: "JSAPI-test",
      mch_id: "10000100",
      nonce_str: "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
      notify_url: "http://example.com/pay/notify",
      openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
      out_trade_no: "20150806125346",
      spbill_create_ip: "123.12.12.123",
      total_fee: 1,
      trade_type: "JSAPI",
    };
    expect(paySign(order, KEY)).toBe("2DF838FDDE26476D8EF2BB62735DDF57");
    expect(verifyPaySign({ ...order, sign: "2DF838FDDE26476D8EF2BB62735DDF57" }, KEY)).toBe(true);
    expect(verifyPaySign({ ...order, total_fee: 2, sign: "2DF838FDDE26476D8EF2BB62735DDF57" }, KEY)).toBe(
      false,
    );
    expect(verifyPaySign(order, KEY)).toBe(false);
  });

  it("JSAPI pay params (§1.4), MD5 and HMAC-SHA256", () => {
    const params = {
      appId: "wx2421b1c4370ec43b",
      timeStamp: "1395712654",
      nonceStr: "e61463f8efa94090b1f366cccfbbb444",
      package: "prepay_id=wx201410272009395522657a690389285100",
      signType: "MD5",
    };
    expect(payStringToSign(params, KEY)).toBe(
      "appId=wx2421b1c4370ec43b&nonceStr=e61463f8efa94090b1f366cccfbbb444&package=prepay_id=wx201410272009395522657a690389285100&signType=MD5&timeStamp=1395712654&key=192006250b4c09247ec02edce69f6a2d",
    );
    expect(paySign(params, KEY)).toBe("05F30DD446ED1AFB88D72F6A0F93BAE7");
    expect(paySign({ ...params, signType: "HMAC-SHA256" }, KEY, "HMAC-SHA256")).toBe(
      "D3C8EC2BB7A501F85B7FE93E298F4CD23C7E8D90F37DF45D716DF18AE7B65F72",
    );
  });

  it("payment notification example (§1.5)", () => {
    const notification = {
      appid: "wx2421b1c4370ec43b",
      attach: "test",
      bank_type: "CFT",
      cash_fee: "1",
      fee_type: "CNY",
      is_subscribe: "Y",
      mch_id: "10000100",
      nonce_str: "5d2b6c2a8db53831f7eda20af46e531c",
      openid: "oUpF8uMEb4qRXf22hE3X68TekukE",
      out_trade_no: "1409811653",
      result_code: "SUCCESS",
      return_code: "SUCCESS",
      time_end: "20140903131540",
      total_fee: "1",
      trade_type: "JSAPI",
      transaction_id: "1004400740201409030005092168",
      sign: "AD7F23B644B47DACBB8D737280E0739E",
    };
    expect(paySign(notification, KEY)).toBe("AD7F23B644B47DACBB8D737280E0739E");
    expect(verifyPaySign(notification, KEY)).toBe(true);
    expect(verifyPaySign(notification, "0".repeat(32))).toBe(false);
  });
});
