/*
 * mpstack's WeixinJSBridge, part 1 of 4: the bridge object. The platform serves core.js, ui.js,
 * local.js and steps.js concatenated inside one function that receives BOOT (where the platform's
 * bridge API is, the browsing user's token, the user agent hint), so WeChat's own jweixin code runs
 * unchanged in any browser: each invoke is answered by the platform, and steps that need the user
 * (pickers, prompts, the scanner) are drawn by ui.js and steps.js.
 */
const M = {
  boot: BOOT,
  /** The page session of a passed wx.config (preVerifyJSAPI). */
  session: null,
  /** WeixinJSBridge.on handlers by event name. */
  events: {},
  /** Local resources (chosen images, recordings) by localId. */
  local: {},
  /** Share content the page set, by target, for the simulated menu. */
  shares: {},
  seq: 0,
};

/* The client hint pages and jweixin look for: a MicroMessenger user agent. jweixin reads it when
 * it loads, so this script must come first (the platform's jweixin-1.6.0.js does that). */
(() => {
  const ua = navigator.userAgent;
  if (/micromessenger/i.test(ua)) return;
  const patched = `${ua} ${BOOT.ua}`;
  try {
    Object.defineProperty(Navigator.prototype, "userAgent", { get: () => patched, configurable: true });
    Object.defineProperty(Navigator.prototype, "appVersion", {
      get: () => patched.replace(/^Mozilla\//, ""),
      configurable: true,
    });
  } catch (_e) {
    /* a browser that refuses: pages then see their own user agent */
  }
})();

M.post = async (body) => {
  body.t = BOOT.token;
  body.u = location.href;
  // text/plain keeps it a simple request (no preflight); the token, not a cookie, says who calls.
  const res = await fetch(`${BOOT.api}/invoke`, {
    method: "POST",
    headers: { "content-type": "text/plain;charset=UTF-8" },
    body: JSON.stringify(body),
    credentials: "omit",
  });
  return res.json();
};

M.deliver = (callback, result) => {
  if (typeof callback !== "function") return;
  try {
    callback(result);
  } catch (e) {
    setTimeout(() => {
      throw e;
    });
  }
};

M.fire = (event, data) => {
  const handler = M.events[event];
  if (typeof handler === "function") handler(data || {});
  return typeof handler === "function";
};

/** One invoke: ask the platform, perform the steps it asks for, hand the answer to the page. */
M.run = async (name, args, callback) => {
  let result;
  try {
    const body = { n: name, a: args, s: M.session };
    await M.attach(name, args, body);
    let answer = await M.post(body);
    if (name === "preVerifyJSAPI" && answer.s) M.session = answer.s;
    const merged = {};
    let override = null;
    while (answer.do) {
      const step = (await M.perform(answer.do, name, args)) || {};
      Object.assign(merged, step.merge || {});
      if (step.override) {
        override = step.override;
        break;
      }
      if (!answer.c) break;
      answer = await M.post({
        n: name,
        c: answer.c,
        ch: step.choice === undefined ? null : step.choice,
        s: M.session,
      });
    }
    result = override || Object.assign({}, answer.r || { err_msg: `${name}:fail` });
    if (!override && /:ok$/.test(String(result.err_msg))) Object.assign(result, merged);
    M.remember(name, args, result);
    result = M.native(name, result);
  } catch (e) {
    result = { err_msg: `${name}:fail, ${e?.message ? e.message : "bridge error"}` };
  }
  M.deliver(callback, result);
};

const WeixinJSBridge = {
  invoke(name, args, callback) {
    M.run(String(name), args && typeof args === "object" ? args : {}, callback);
  },
  call(name, args, callback) {
    if (typeof args === "function") M.run(String(name), {}, args);
    else M.run(String(name), args && typeof args === "object" ? args : {}, callback);
  },
  on(event, handler) {
    M.events[String(event)] = handler;
  },
  /** mpstack's own handles, for tests and the console: the simulated user's taps. */
  _mpstack: {
    user: BOOT.user,
    share: (target) => M.ui.share(target),
    menu: () => M.ui.menuState(),
    trigger: (event, data) => M.fire(event, data),
  },
};

window.WeixinJSBridge = WeixinJSBridge;
