/**
 * The shape of one entry of WeChat's return-code table (error-codes.ts) and the two ways to write
 * one: `q` where the spec quotes WeChat's errmsg, `d` where the text is mpstack's.
 */
export interface ErrorCodeInfo {
  /** The text of `errmsg`, without the ` rid: …` suffix. `{name}` marks a value filled in per call. */
  readonly errmsg: string;
  /** What the code means, in short English. */
  readonly meaning: string;
  /** True when `errmsg` is WeChat's wording as the spec quotes it. */
  readonly quoted: boolean;
}

export interface Entry<C extends number> extends ErrorCodeInfo {
  readonly code: C;
}

/** A code whose errmsg the spec quotes from WeChat. */
export const q = <C extends number>(code: C, errmsg: string, meaning: string): Entry<C> => ({
  code,
  errmsg,
  meaning,
  quoted: true,
});
/** A code the spec gives no errmsg for: the text is ours. */
export const d = <C extends number>(code: C, errmsg: string, meaning: string): Entry<C> => ({
  code,
  errmsg,
  meaning,
  quoted: false,
});
