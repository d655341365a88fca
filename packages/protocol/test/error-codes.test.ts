/** The error-code table: every code of the spec, WeChat's texts word for word, the lookups. */
import { describe, expect, it } from "vitest";
import {
  ERROR_CODES,
  ErrorCode,
  errmsgFor,
  errmsgText,
  isKnownErrorCode,
  TOKEN_ERROR_CODES,
} from "../src/error-codes.js";
import { WechatError } from "../src/wechat-error.js";

/** spec/basics.md §8, copied: every code, and the errmsg of the rows that quote one. */
const SPEC_CODES = [
  -1, 0, 40001, 40002, 40003, 40004, 40005, 40006, 40007, 40008, 40009, 40010, 40011, 40012, 40013, 40014,
  40015, 40016, 40017, 40018, 40019, 40020, 40021, 40022, 40023, 40024, 40025, 40026, 40027, 40028, 40029,
  40030, 40031, 40032, 40033, 40035, 40036, 40037, 40038, 40039, 40048, 40050, 40051, 40053, 40054, 40055,
  40060, 40066, 40097, 40117, 40118, 40119, 40120, 40121, 40125, 40132, 40137, 40155, 40163, 40164, 40201,
  40202, 40203, 40243, 41001, 41002, 41003, 41004, 41005, 41006, 41007, 41008, 41009, 42001, 42002, 42003,
  42007, 43001, 43002, 43003, 43004, 43005, 43019, 43100, 43101, 44001, 44002, 44003, 44004, 45001, 45002,
  45003, 45004, 45005, 45006, 45007, 45008, 45009, 45010, 45011, 45015, 45016, 45017, 45018, 45026, 45027,
  45028, 45047, 45064, 45065, 45066, 45067, 45083, 45084, 45157, 45158, 45159, 46001, 46002, 46003, 46004,
  47001, 47003, 48001, 48002, 48003, 48004, 48005, 48006, 48008, 50001, 50002, 50004, 50005, 53500, 53501,
  53502, 53600, 61004, 61007, 61023, 61024, 61450, 61451, 61452, 61453, 61454, 61455, 61456, 61457, 61500,
  63001, 63002, 65301, 65302, 65303, 65304, 65305, 65306, 65307, 65308, 65309, 65310, 65311, 65312, 65313,
  65314, 65316, 65317, 76001, 76002, 76003, 76004, 76021, 76022, 87009, 87014, 89501, 89503, 89506, 89507,
];
const SPEC_ERRMSG: [number, string][] = [
  [-1, "system error"],
  [0, "ok"],
  [40001, "invalid credential, access_token is invalid or not latest"],
  [40002, "invalid grant_type"],
  [40003, "invalid openid"],
  [40004, "invalid media type"],
  [40007, "invalid media_id"],
  [40008, "invalid message type"],
  [40009, "invalid image size"],
  [40010, "invalid voice size"],
  [40011, "invalid video size"],
  [40012, "invalid thumb size"],
  [40013, "invalid appid"],
  [40014, "invalid access_token"],
  [40015, "invalid menu type"],
  [40016, "invalid button size"],
  [40017, "invalid button type"],
  [40018, "invalid button name size"],
  [40019, "invalid button key size"],
  [40020, "invalid button url size"],
  [40023, "invalid sub button size"],
  [40024, "invalid sub button type"],
  [40025, "invalid sub button name size"],
  [40026, "invalid sub button key size"],
  [40027, "invalid sub button url size"],
  [40029, "invalid code"],
  [40030, "invalid refresh_token"],
  [40036, "invalid template_id size"],
  [40037, "invalid template_id"],
  [40039, "invalid url size"],
  [40048, "invalid url domain"],
  [40053, "invalid action info, please check document"],
  [40054, "invalid sub button url domain"],
  [40055, "invalid button url domain"],
  [40066, "invalid url"],
  [40125, "invalid appsecret"],
  [40164, "invalid ip <ip>, not in whitelist"],
  [40201, "invalid check url"],
  [40202, "invalid check action"],
  [40203, "invalid check operator"],
  [41001, "access_token missing"],
  [41002, "appid missing"],
  [42001, "access_token expired"],
  [43002, "require POST method"],
  [43003, "require https"],
  [43100, "change template too frequently"],
  [43101, "user refuse to accept the msg"],
  [44002, "empty post data"],
  [45002, "content size out of limit"],
  [45009, "reach max api daily quota limit"],
  [45011, "api minute-quota reach limit must slower retry next minute"],
  [45026, "template num exceeds limit"],
  [45027, "template conflict with industry"],
  [45028, "has no masssend quota"],
  [45083, "the speed out of range"],
  [45084, "No speed message"],
  [45157, "invalid tag name"],
  [45158, "tag name too long"],
  [45159, "invalid tag id"],
  [47001, "data format error"],
  [48001, "api unauthorized"],
  [48003, "user not agree mass-send protocol"],
  [48004, "api forbidden for irregularities"],
  [48006, "forbid to clear quota because of reaching the limit"],
  [50001, "user unauthorized"],
  [50002, "user limited"],
  [50004, "user not allow to use accesstoken, maybe for punishment"],
  [61004, "access clientip is not registered, not in ip-white-list"],
  [61007, "api is unauthorized to component"],
  [61023, "refresh_token is invalid"],
  [61024, "must use api(api_component_token) to get token for component acct"],
  [61450, "system error"],
  [61451, "invalid parameter"],
  [61452, "invalid kf_account"],
  [61453, "kf_account exsited"],
  [61454, "invalid kf_acount length"],
  [61455, "illegal character in kf_account"],
  [61456, "kf_account count exceeded"],
  [61457, "invalid file type"],
  [87014, "risky content"],
];
const SHAKE_CODES = [
  9001001, 9001002, 9001003, 9001004, 9001005, 9001006, 9001007, 9001008, 9001009, 9001010, 9001020, 9001021,
  9001022, 9001023, 9001024, 9001025, 9001026, 9001027, 9001028, 9001029, 9001030, 9001031, 9001032, 9001033,
  9001034, 9001035, 9001036,
];

describe("error-code table", () => {
  it("keeps WeChat's texts that SDKs and the spec quote, word for word", () => {
    expect(errmsgFor(40001)).toBe("invalid credential, access_token is invalid or not latest");
    expect(errmsgFor(42001)).toBe("access_token expired");
    expect(errmsgFor(41001)).toBe("access_token missing");
    expect(errmsgFor(40014)).toBe("invalid access_token");
    expect(errmsgFor(45009)).toBe("reach max api daily quota limit");
    expect(errmsgFor(48001)).toBe("api unauthorized");
    expect(errmsgFor(47001)).toBe("data format error");
    expect(errmsgFor(40013)).toBe("invalid appid");
    expect(errmsgFor(40125)).toBe("invalid appsecret");
    expect(errmsgFor(61004)).toBe("access clientip is not registered, not in ip-white-list");
    expect(errmsgFor(45015)).toBe("response out of time limit or subscription is canceled");
    expect(errmsgFor(45157)).toBe("invalid tag name");
    expect(errmsgFor(65303)).toBe("there is no selfmenu, please create selfmenu first");
    expect(errmsgFor(40033)).toBe(
      "invalid charset. please check your request, if include \\uxxxx will create fail!",
    );
    expect(errmsgFor(0)).toBe("ok");
    expect(errmsgFor(-1)).toBe("system error");
  });

  it("keeps the errmsg texts the area files quote", () => {
    const quoted: [number, string][] = [
      // users.md
      [45056, "too many tag now, no need to add new"],
      [45057, "can't delete the tag that has too many fans"],
      [45058, "can't modify sys tag"],
      [45059, "can not tagging one user too much"],
      [40032, "invalid openid list size"],
      [49003, "not match openid with appid"],
      [40092, "invalid remark name"],
      [43019, "require remove blacklist"],
      [45016, "can't modify sys group"],
      [45018, "too many group now, no need to add new"],
      // menu.md
      [46003, "menu no exist"],
      [40022, "invalid sub_menu level"],
      [65308, "exist empty button act"],
      [65301, "this menu is not conditionalmenu"],
      [65302, "no such user"],
      [65304, "match rule empty"],
      [65306, "conditional menu not support"],
      [65316, "domain count reach limit"],
      [65318, "must use utf-8 charset"],
      [45064, "no permission to use weapp in menu"],
      // qrcode-shorturl.md
      [45029, "qrcode count out of limit"],
      [45103, "This API has been unsupported"],
      [47003, "argument invalid!"],
      // customer-service.md
      [45047, "out of response count limit"],
      [48002, "user block receive message"],
      [44004, "empty content"],
      [45008, "article size out of limit"],
      [45086, "invalid attrbute 'data-miniprogram-appid'"],
      [45072, "invalid command"],
      [
        45080,
        "need sending message to user, or recving message from user in the last 30 seconds before typing",
      ],
      [45081, "you are already typing"],
      [65400, "please enable new custom service, or wait for a while if you have enabled"],
      [65401, "invalid custom service account"],
      // material.md
      [40007, "invalid media_id"],
      [40004, "invalid media type"],
    ];
    for (const [code, text] of quoted) expect(errmsgFor(code), `code ${code}`).toBe(text);
    for (const code of [9410010, 9410011, 9410012, 65320, 45074]) expect(isKnownErrorCode(code)).toBe(true);
  });

  it("fills the IP into 40164 the way WeChat prints it", () => {
    expect(errmsgFor(40164, { ip: "1.2.3.4" })).toBe("invalid ip 1.2.3.4, not in whitelist");
    expect(errmsgFor(40164)).toContain("{ip}");
  });

  it("names the common codes", () => {
    expect(ErrorCode.InvalidCredential).toBe(40001);
    expect(ErrorCode.AccessTokenExpired).toBe(42001);
    expect(ErrorCode.AccessTokenMissing).toBe(41001);
    expect(ErrorCode.InvalidAccessToken).toBe(40014);
    expect(ErrorCode.ApiDailyQuotaReached).toBe(45009);
    expect(ErrorCode.ApiUnauthorized).toBe(48001);
    expect(ErrorCode.IpNotInWhitelist).toBe(40164);
    expect(ErrorCode.DataFormatError).toBe(47001);
    expect(TOKEN_ERROR_CODES).toEqual([40001, 40014, 42001]);
  });

  it("gives every code one name and every name one code", () => {
    const codes = Object.values(ErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    expect(Object.keys(ERROR_CODES)).toHaveLength(codes.length);
    for (const code of codes) expect(isKnownErrorCode(code)).toBe(true);
    expect(isKnownErrorCode(12345)).toBe(false);
    expect(errmsgFor(12345)).toBe("system error");
  });

  it("holds every code of spec/basics.md §8 with the errmsg the spec quotes", () => {
    for (const code of [...SPEC_CODES, ...SHAKE_CODES])
      expect(isKnownErrorCode(code), `code ${code}`).toBe(true);
    for (const [code, msg] of SPEC_ERRMSG) {
      expect(ERROR_CODES[code]?.errmsg.replace("{ip}", "<ip>"), `code ${code}`).toBe(msg);
      expect(ERROR_CODES[code]?.quoted, `code ${code}`).toBe(true);
    }
  });

  it("leaves out a placeholder nobody filled", () => {
    expect(errmsgText(40164)).toBe("invalid ip, not in whitelist");
    expect(new WechatError(40164).errmsg).toBe("invalid ip, not in whitelist");
    expect(errmsgText(12345)).toBe("system error");
  });

  it("holds the texts the platform's core answers with", () => {
    const core: [number, string][] = [
      [40066, "invalid url"],
      [40243, "appsecret frozen"],
      [41004, "appsecret missing"],
      [41009, "missing openid"],
      [43001, "require GET method"],
      [76001, "rid not found"],
      [76002, "rid is error"],
      [76003, "rid is not belong to the appid"],
      [76004, "rid is expired"],
      [76021, "cgi_path not found, please check"],
      [76022, "could not use this cgi_path，no permission"],
    ];
    for (const [code, text] of core) expect(errmsgText(code), `code ${code}`).toBe(text);
  });
});
