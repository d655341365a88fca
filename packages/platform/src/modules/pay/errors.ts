/**
 * Pay errors, once for both API generations (spec/applied-features.md §1.3, §1.6, §1.7). v2 answers
 * communication-level failures with `return_code=FAIL` and a `return_msg`, business failures with
 * `result_code=FAIL` + `err_code`; v3 answers an HTTP status with `{"code","message"}`. The Chinese
 * texts are mpstack's (the spec does not establish WeChat's exact wording); the codes are WeChat's.
 */

export interface PayErrorInfo {
  /** v2: `return` = return_code FAIL with return_msg; `result` = result_code FAIL with err_code. */
  v2: "return" | "result";
  text: string;
  v3: string;
  status: number;
}

export const PAY_ERRORS = {
  REQUIRE_POST_METHOD: { v2: "return", text: "请使用post方法", v3: "INVALID_REQUEST", status: 400 },
  POST_DATA_EMPTY: { v2: "return", text: "post数据为空", v3: "PARAM_ERROR", status: 400 },
  NOT_UTF8: { v2: "return", text: "编码格式错误", v3: "PARAM_ERROR", status: 400 },
  XML_FORMAT_ERROR: { v2: "return", text: "XML格式错误", v3: "PARAM_ERROR", status: 400 },
  LACK_PARAMS: { v2: "return", text: "缺少参数", v3: "PARAM_ERROR", status: 400 },
  PARAM_ERROR: { v2: "return", text: "参数格式校验错误", v3: "PARAM_ERROR", status: 400 },
  SIGNERROR: { v2: "return", text: "签名错误", v3: "SIGN_ERROR", status: 401 },
  MCHID_NOT_EXIST: { v2: "return", text: "商户号mch_id不存在", v3: "MCH_NOT_EXISTS", status: 400 },
  APPID_NOT_EXIST: { v2: "return", text: "appid不存在", v3: "PARAM_ERROR", status: 400 },
  APPID_MCHID_NOT_MATCH: {
    v2: "return",
    text: "appid和mch_id不匹配",
    v3: "APPID_MCHID_NOT_MATCH",
    status: 400,
  },
  OPENID_MISMATCH: { v2: "return", text: "appid和openid不匹配", v3: "OPENID_MISMATCH", status: 500 },
  NOAUTH: { v2: "result", text: "商户无此接口权限", v3: "NO_AUTH", status: 403 },
  ORDERPAID: { v2: "result", text: "该订单已支付", v3: "INVALID_REQUEST", status: 400 },
  ORDERCLOSED: { v2: "result", text: "该订单已关闭", v3: "ORDER_CLOSED", status: 400 },
  OUT_TRADE_NO_USED: { v2: "result", text: "商户订单号重复", v3: "OUT_TRADE_NO_USED", status: 403 },
  ORDERNOTEXIST: { v2: "result", text: "订单不存在", v3: "ORDER_NOT_EXIST", status: 404 },
  REFUNDNOTEXIST: { v2: "result", text: "退款订单查询失败", v3: "RESOURCE_NOT_EXISTS", status: 404 },
  NOTENOUGH: { v2: "result", text: "余额不足", v3: "NOT_ENOUGH", status: 403 },
  INVALID_REQUEST: { v2: "result", text: "参数错误", v3: "INVALID_REQUEST", status: 400 },
  SYSTEMERROR: { v2: "result", text: "系统超时，请稍后重试", v3: "SYSTEM_ERROR", status: 500 },
} as const satisfies Record<string, PayErrorInfo>;

export type PayErrorName = keyof typeof PAY_ERRORS;

export const PAY_ERROR_NAMES = Object.keys(PAY_ERRORS) as PayErrorName[];

export class PayError extends Error {
  readonly info: PayErrorInfo;
  constructor(
    readonly code: PayErrorName,
    /** A more precise text than the table's (e.g. naming the missing field). */
    readonly detail?: string,
  ) {
    super(detail ?? PAY_ERRORS[code].text);
    this.name = "PayError";
    this.info = PAY_ERRORS[code];
  }
}
