/**
 * The scripts a page loads: `/_mpstack/jsbridge.js` (the bridge alone, for pages that bundle the
 * npm `weixin-js-sdk` themselves) and `/open/js/jweixin-<version>.js`, WeChat's CDN path (the
 * bridge, then WeChat's own jweixin code from the npm package, unchanged, given the `module` object
 * its packaging expects and exported as `window.wx` / `window.jWeixin`). Each response carries the
 * browsing user's bridge token (from the cookie), so it is never cached.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The bridge's parts, concatenated in this order inside one function. */
const PARTS = ["core.js", "ui.js", "local.js", "steps.js"];

export interface BridgeBoot {
  /** `http://host:port/_mpstack/jsbridge` as the browser reached the platform. */
  api: string;
  token: string | null;
  user: { id: string; nickname: string } | null;
  /** The chooser page; the bridge appends the page's URL. */
  chooser: string;
  /** Appended to the browser's user agent (the MicroMessenger hint). */
  ua: string;
  /** Draw the simulated client's "···" menu. */
  overlay: boolean;
  sampleTranscript: string;
  sampleSeconds: number;
}

/** The folder holding `assets/jsbridge` (the source tree, the built package, or the bundled CLI). */
function assetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "assets", "jsbridge");
    if (existsSync(join(candidate, PARTS[0]!))) return candidate;
    dir = dirname(dir);
  }
  throw new Error("mpstack: the JS bridge's files (assets/jsbridge) are missing from the package");
}

let bridgeSource: string | undefined;
let jweixinSource: string | undefined;

function bridgeBody(): string {
  bridgeSource ??= PARTS.map((p) => readFileSync(join(assetsDir(), p), "utf8")).join("\n");
  return bridgeSource;
}

/** WeChat's jweixin code as the npm package `weixin-js-sdk` ships it. */
function jweixinBody(): string {
  jweixinSource ??= readFileSync(createRequire(import.meta.url).resolve("weixin-js-sdk"), "utf8");
  return jweixinSource;
}

/** JSON that is safe inside a script (no `</script>`, no line separators). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export function bridgeScript(boot: BridgeBoot): string {
  return `/* mpstack WeixinJSBridge: WeChat's native bridge for any browser. */
(function (BOOT) {
if (window.WeixinJSBridge && window.WeixinJSBridge._mpstack) return;
${bridgeBody()}
})(${scriptJson(boot)});
`;
}

export function jweixinScript(boot: BridgeBoot): string {
  return `${bridgeScript(boot)}
/* WeChat's jweixin (npm weixin-js-sdk), unchanged. */
(function () {
if (window.jWeixin) return;
var module = { exports: {} };
var exports = module.exports;
${jweixinBody()}
window.wx = window.jWeixin = module.exports;
})();
`;
}
