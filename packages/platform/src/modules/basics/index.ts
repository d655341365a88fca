/** Basics module: WeChat's server IPs, quota management and rid lookup (spec/basics.md §5, §7). */
import { catalog, endpoints, isRid } from "@mpstack/protocol";
import { ok, WechatApiError } from "../../http/errors.js";
import { defineModule } from "../../module.js";
import { Journal } from "../core/index.js";

/**
 * What quota/get reports as the daily limit of an API the platform does not limit (emulator
 * choice: WeChat always shows a number; a large one keeps SDK arithmetic sane).
 */
export const UNLIMITED_REPORTED = 10_000_000;

export const basicsModule = defineModule({
  name: "basics",
  requires: ["core"],
  setup(ctx) {
    const { journal, quota } = ctx.services.core;
    // Pushes leave from this machine's loopback (basics.md §5: return the address really used).
    ctx.implement(catalog.basic.getCallbackIp, () => ({ ip_list: ["127.0.0.1"] }));
    ctx.implement(catalog.basic.getApiDomainIp, () => {
      const host = ctx.runtime.url ? new URL(ctx.runtime.url).hostname : "127.0.0.1";
      return {
        ip_list: [host === "localhost" || host === "0.0.0.0" ? "127.0.0.1" : host.replace(/^\[|\]$/g, "")],
      };
    });

    ctx.implement(catalog.basic.clearQuota, async (call) => {
      if (call.input.appid !== call.account.appid) throw new WechatApiError(40013);
      if (!(await quota.takeMonthlyReset(call.account.appid, call.policies.clearQuotaMonthlyLimit))) {
        throw new WechatApiError(48006);
      }
      await quota.clearAccount(call.account.appid);
      return ok();
    });

    const known = new Map(endpoints.map((e) => [e.path, e]));
    ctx.implement(catalog.basic.getQuota, async (call) => {
      const path = call.input.cgi_path;
      if (!path.startsWith("/") || /^\/\//.test(path) || path.includes("://"))
        throw new WechatApiError(76021);
      if (path.startsWith("/sns/")) throw new WechatApiError(76022);
      const endpoint = known.get(path);
      const configured = call.policies.dailyQuotas[path];
      if (!endpoint && configured === undefined) throw new WechatApiError(76021);
      const limit = path in call.policies.dailyQuotas ? configured : endpoint?.dailyQuota;
      const daily_limit = limit ?? UNLIMITED_REPORTED;
      const used = await quota.used(call.account.appid, path);
      return ok({ quota: { daily_limit, used, remain: Math.max(0, daily_limit - used) } });
    });

    ctx.implement(catalog.basic.getRid, async (call) => {
      const rid = call.input.rid.trim();
      if (!isRid(rid)) throw new WechatApiError(76002);
      const entry = await journal.get(rid);
      if (!entry) throw new WechatApiError(76001);
      if (entry.appid !== call.account.appid) throw new WechatApiError(76003);
      if (call.now - entry.time > Journal.keepMs) throw new WechatApiError(76004);
      return ok({
        request: {
          invoke_time: Math.floor(entry.time / 1000),
          cost_in_ms: entry.latency_ms,
          request_url: entry.query,
          request_body: entry.body,
          response_body: entry.response,
          client_ip: entry.client_ip,
        },
      });
    });
  },
});
