/**
 * The deterministic subset of semantic understanding (spec/semantic.md §5): small rule sets per
 * category over a table of cities and date words, answering `details` in the documented shapes
 * (LOC_CITY places, DT_ORI dates), plus follow-ups that reuse the previous slots ("那后天呢").
 */

export const CATEGORIES = [
  "restaurant",
  "map",
  "nearby",
  "coupon",
  "hotel",
  "travel",
  "flight",
  "train",
  "movie",
  "music",
  "video",
  "novel",
  "weather",
  "stock",
  "remind",
  "telephone",
  "cookbook",
  "baike",
  "news",
  "tv",
  "instruction",
  "tv_instruction",
  "car_instruction",
  "app",
  "website",
  "search",
] as const;

/** Categories that need a place (city, or latitude/longitude) to answer (7000032 without one). */
export const NEEDS_PLACE = new Set(["restaurant", "map", "nearby", "hotel", "weather", "coupon"]);

const CITIES = [
  "北京",
  "上海",
  "广州",
  "深圳",
  "杭州",
  "南京",
  "成都",
  "重庆",
  "武汉",
  "西安",
  "天津",
  "苏州",
  "长沙",
  "厦门",
  "青岛",
  "大连",
  "沈阳",
  "哈尔滨",
  "昆明",
  "三亚",
  "郑州",
  "济南",
  "福州",
  "合肥",
];
const MUNICIPALITIES = new Set(["北京", "上海", "天津", "重庆"]);
const AIRLINES: Record<string, string> = {
  南航: "中国南方航空公司",
  国航: "中国国际航空公司",
  东航: "中国东方航空公司",
  海航: "海南航空公司",
};
const DATE_WORDS: Record<string, number> = { 今天: 0, 明天: 1, 后天: 2, 大后天: 3 };

export interface Place {
  type: "LOC_CITY";
  city: string;
  city_simple: string;
  loc_ori: string;
}

export interface Matched {
  type: string;
  details: Record<string, unknown>;
  intent: string;
}

export function place(name: string): Place {
  const simple = name.replace(/市$/, "");
  return {
    type: "LOC_CITY",
    city: MUNICIPALITIES.has(simple) || CITIES.includes(simple) ? `${simple}市` : name,
    city_simple: simple,
    loc_ori: name,
  };
}

function citiesIn(text: string): string[] {
  const found: Array<{ at: number; city: string }> = [];
  for (const c of CITIES) {
    const at = text.indexOf(c);
    if (at >= 0) found.push({ at, city: c });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.city);
}

/** The date word in the text as a DT_ORI slot, relative to `today` (YYYY-MM-DD in Beijing time). */
export function dateSlot(
  text: string,
  todayMs: number,
): { type: "DT_ORI"; date: string; date_ori: string } | undefined {
  const word = Object.keys(DATE_WORDS)
    .sort((a, b) => b.length - a.length)
    .find((w) => text.includes(w));
  if (!word) return undefined;
  const d = new Date(todayMs + 8 * 3600_000 + (DATE_WORDS[word] ?? 0) * 86_400_000);
  return { type: "DT_ORI", date: d.toISOString().slice(0, 10), date_ori: word };
}

export interface MatchInput {
  query: string;
  /** City from the request (or from coordinates). */
  city?: string;
  now: number;
}

type Rule = (q: MatchInput) => Matched | "needs_place" | undefined;

const travel =
  (type: "flight" | "train", words: RegExp): Rule =>
  (q) => {
    if (!words.test(q.query)) return undefined;
    const cities = citiesIn(q.query);
    const details: Record<string, unknown> = {};
    const start = cities[0] ?? q.city;
    if (start) details.start_loc = place(start);
    if (cities[1]) details.end_loc = place(cities[1]);
    const date = dateSlot(q.query, q.now);
    if (date) details.start_date = date;
    if (type === "flight") {
      const airline = Object.keys(AIRLINES).find((a) => q.query.includes(a));
      if (airline) details.airline = AIRLINES[airline];
    }
    return { type, details, intent: "SEARCH" };
  };

const placed =
  (type: string, words: RegExp, extra: (q: MatchInput) => Record<string, unknown> = () => ({})): Rule =>
  (q) => {
    if (!words.test(q.query)) return undefined;
    const city = citiesIn(q.query)[0] ?? q.city;
    if (!city) return "needs_place";
    const date = dateSlot(q.query, q.now);
    return {
      type,
      details: { location: place(city), ...(date ? { datetime: date } : {}), ...extra(q) },
      intent: "SEARCH",
    };
  };

const RULES: Record<string, Rule> = {
  flight: travel("flight", /机票|航班|飞机|飞往/),
  train: travel("train", /火车|高铁|动车|车票/),
  weather: placed("weather", /天气|下雨|气温|温度/),
  hotel: placed("hotel", /酒店|宾馆|住宿/),
  restaurant: placed("restaurant", /餐厅|饭店|吃饭|馆|美食/, (q) => {
    const m = /(川菜|粤菜|湘菜|火锅|日料|西餐|烧烤)/.exec(q.query);
    return m ? { category: m[1] } : {};
  }),
  music: (q) => {
    const m = /(?:播放|我想听|听一下|来一首)(?:(.+?)的)?(.+)/.exec(q.query);
    if (!m) return undefined;
    return { type: "music", details: { ...(m[1] ? { singer: m[1] } : {}), song: m[2] }, intent: "PLAY" };
  },
  stock: (q) => {
    const m = /(\d{6})|(.+?)(?:的)?(?:股价|股票)/.exec(q.query);
    if (!m || !/股|\d{6}/.test(q.query)) return undefined;
    return { type: "stock", details: m[1] ? { code: m[1] } : { name: m[2] }, intent: "SEARCH" };
  },
  remind: (q) => {
    const m = /提醒我(.+)/.exec(q.query);
    if (!m) return undefined;
    const date = dateSlot(q.query, q.now);
    return {
      type: "remind",
      details: { event: m[1], ...(date ? { datetime: date } : {}) },
      intent: "CREATE",
    };
  },
  cookbook: (q) => {
    const m = /(.+?)(?:怎么做|的做法|做法)/.exec(q.query);
    return m ? { type: "cookbook", details: { keyword: m[1] }, intent: "SEARCH" } : undefined;
  },
};

/** First category (in request order) whose rules match; `needs_place` when one matched but lacks a place. */
export function match(categories: string[], q: MatchInput): Matched | "needs_place" | undefined {
  let needsPlace = false;
  for (const c of categories) {
    const r = RULES[c]?.(q);
    if (r === "needs_place") needsPlace = true;
    else if (r) return r;
  }
  return needsPlace ? "needs_place" : undefined;
}

/** A follow-up ("那后天呢", "明天呢", "上海呢") against the previous result: its slots with the new values. */
export function followUp(query: string, previous: Matched, now: number): Matched | undefined {
  if (!/呢[？?]?$/.test(query.trim())) return undefined;
  const details = { ...previous.details };
  const date = dateSlot(query, now);
  const city = citiesIn(query)[0];
  if (!date && !city) return undefined;
  if (date)
    details[previous.type === "flight" || previous.type === "train" ? "start_date" : "datetime"] = date;
  if (city)
    details[previous.type === "flight" || previous.type === "train" ? "end_loc" : "location"] = place(city);
  return { ...previous, details };
}
