/**
 * One bridge call, from the page's `WeixinJSBridge.invoke` to its native answer: who is browsing
 * (the bridge token), `preVerifyJSAPI` (wx.config), the API's table entry (`function not exist`
 * otherwise), the page session and its `jsApiList` (`the permission value is offline verifying`),
 * the account's permission row and grant (`access denied` → `permission denied`), then the
 * family's handler; steps that ask the user wait as continuations. Every finished call is recorded.
 */
import { mayCall } from "@mpstack/protocol";
import { getAccount } from "../accounts/index.js";
import type { User } from "../simulated-users/index.js";
import {
  ACCESS_DENIED,
  apiEntry,
  type BridgeAnswer,
  type BridgeCall,
  type BridgeHandler,
  fail,
  isKnownApi,
  isListed,
  NOT_EXIST,
  ok,
  pageErrMsg,
  type Upload,
} from "./apis.js";
import { Continuations } from "./continuations.js";
import type { JssdkContext } from "./handlers/toolkit.js";
import { recordCall } from "./records.js";
import { pageOf, verifyConfig } from "./verify.js";

/** What the bridge posts (short keys: a page may call often). */
export interface InvokeRequest {
  /** Bridge token (who is browsing). */
  t?: unknown;
  /** Page session from a passed wx.config. */
  s?: unknown;
  /** The invoked name. */
  n?: unknown;
  /** Its arguments. */
  a?: unknown;
  /** location.href of the page. */
  u?: unknown;
  /** A local file's bytes (uploads): base64, content type, name. */
  d?: unknown;
  /** Facts of the local resource (a recording's transcript). */
  x?: unknown;
  /** Continuation id and the user's choice. */
  c?: unknown;
  ch?: unknown;
}

export interface InvokeAnswer {
  r?: Record<string, unknown>;
  s?: string;
  do?: Record<string, unknown>;
  c?: string;
}

const MAX_NAME = 64;

function uploadOf(d: unknown): Upload | undefined {
  if (!d || typeof d !== "object") return undefined;
  const { data, type, name } = d as Record<string, unknown>;
  if (typeof data !== "string") return undefined;
  return {
    data: Buffer.from(data, "base64"),
    contentType: typeof type === "string" ? type.slice(0, 100) : "application/octet-stream",
    filename: typeof name === "string" && name ? name.slice(0, 200) : "upload",
  };
}

export class BridgeDispatcher {
  readonly handlers = new Map<string, BridgeHandler>();
  private readonly waiting: Continuations;

  constructor(private readonly ctx: JssdkContext) {
    this.waiting = new Continuations(ctx.clock);
    ctx.events.on("world.replaced", () => this.waiting.clear());
  }

  async invoke(req: InvokeRequest, origin: string | undefined, chooser: string): Promise<InvokeAnswer> {
    const name = typeof req.n === "string" ? req.n.slice(0, MAX_NAME) : "";
    const args =
      req.a && typeof req.a === "object" && !Array.isArray(req.a) ? (req.a as Record<string, unknown>) : {};
    const pageUrl = typeof req.u === "string" ? req.u.slice(0, 4096) : "";
    const user = await this.ctx.services["web-identity"].userOfBridgeToken(
      typeof req.t === "string" ? req.t : undefined,
    );
    if (!user) {
      return {
        r: fail(name, "no simulated user is browsing this page (mpstack: pick one)"),
        do: { kind: "identity", chooser },
      };
    }
    if (req.c !== undefined) {
      const waiting = this.waiting.take(req.c, user.id);
      if (!waiting) return { r: fail(name, "this step has expired") };
      return this.finish(waiting.call, await waiting.next(req.ch ?? null));
    }
    if (name === "preVerifyJSAPI") {
      const v = await verifyConfig(this.ctx, user, args, pageUrl, origin);
      const errMsg = v.ok ? "config:ok" : v.errMsg;
      const appid = v.ok
        ? v.page.appid
        : typeof args.verifyAppId === "string"
          ? args.verifyAppId.slice(0, 64)
          : "";
      if (appid)
        await recordCall(this.ctx, {
          appid,
          userId: user.id,
          url: pageUrl.split("#")[0]!,
          api: "config",
          args: { appId: appid, jsApiList: args.verifyJsApiList, openTagList: args.verifyOpenTagList },
          errMsg,
        });
      return v.ok ? { r: { err_msg: errMsg }, s: v.page.session } : { r: { err_msg: errMsg } };
    }
    return this.call(name, args, pageUrl, user, req);
  }

  private async call(
    name: string,
    args: Record<string, unknown>,
    pageUrl: string,
    user: User,
    req: InvokeRequest,
  ): Promise<InvokeAnswer> {
    const entry = apiEntry(name);
    if (!entry) return { r: NOT_EXIST };
    const page = await pageOf(this.ctx, req.s, user.id);
    const appid = page?.appid ?? (typeof args.appId === "string" ? args.appId : "");
    const account = appid ? ((await getAccount(this.ctx.db, appid)) ?? null) : null;
    const listed = page !== null && (isListed(entry, page.jsApiList) || entry.wx === "checkJsApi");
    if (!entry.legacy && !listed) return { r: fail(name, "the permission value is offline verifying") };
    const local = req.x && typeof req.x === "object" ? (req.x as Record<string, unknown>) : {};
    const upload = uploadOf(req.d);
    const call: BridgeCall = {
      entry,
      name,
      account,
      user,
      page,
      args,
      url: page?.url ?? pageUrl.split("#")[0]!,
      local,
      ...(upload ? { upload } : {}),
    };
    if (!this.allowed(call)) return this.finish(call, { result: ACCESS_DENIED });
    if (entry.bridge === "checkJsApi") return this.finish(call, checkJsApi(call));
    const handler = this.handlers.get(entry.bridge);
    // An API whose module (pay, cards, shop) is not loaded on this platform.
    if (!handler)
      return this.finish(call, { result: fail(name, "mpstack has no implementation of this API yet") });
    return this.finish(call, await handler(call));
  }

  /** The permission row × account kind (and the grant the API needs on top). */
  private allowed(call: BridgeCall): boolean {
    const { account, entry } = call;
    if (!account) return entry.grant === undefined && entry.row !== "jssdk.pay";
    const overrides = this.ctx.policiesFor(account).permissionOverrides;
    const granted = entry.grant === undefined || account.grants.includes(entry.grant);
    return granted && mayCall(account, entry.row, overrides);
  }

  /** Record a finished call, or park it while the user decides. */
  private async finish(call: BridgeCall, answer: BridgeAnswer): Promise<InvokeAnswer> {
    const out: InvokeAnswer = { r: answer.result };
    if (answer.directive) out.do = answer.directive;
    if (answer.next) {
      out.c = this.waiting.put(call, answer.next);
      return out;
    }
    if (call.account) {
      const errMsg = pageErrMsg(call.name, String(answer.result.err_msg ?? ""));
      await recordCall(this.ctx, {
        appid: call.account.appid,
        userId: call.user.id,
        url: call.url,
        api: call.entry.wx,
        args: call.args,
        errMsg,
      });
    }
    return out;
  }
}

/** What this client supports (not what the account may use, spec/jssdk.md §5.1). */
function checkJsApi(call: BridgeCall): BridgeAnswer {
  const list = Array.isArray(call.args.jsApiList) ? call.args.jsApiList : [];
  const checkResult: Record<string, boolean> = {};
  for (const n of list.slice(0, 200)) if (typeof n === "string") checkResult[n] = isKnownApi(n);
  return { result: ok(call.name, { checkResult }) };
}
