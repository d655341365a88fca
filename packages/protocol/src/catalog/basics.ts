/** Basics (spec/basics.md): tokens, WeChat's server IPs, quotas and request ids. */
import { Type } from "@sinclair/typebox";
import { Empty, Ok, OkWith } from "../schemas.js";
import { endpoint, group } from "./endpoint.js";

const TokenResponse = Type.Object({ access_token: Type.String(), expires_in: Type.Number() });
const IpList = Type.Object({ ip_list: Type.Array(Type.String()) });

export const basic = group("basic", {
  /**
   * 获取接口调用凭据
   *
   * Get an access_token with the AppSecret (7200 s; a new one supersedes the old after 5 minutes).
   *
   * See spec/basics.md §3.
   */
  token: endpoint({
    title: "获取接口调用凭据",
    method: "GET",
    host: "api",
    path: "/cgi-bin/token",
    permission: "basic.access_token",
    auth: "none",
    request: Type.Object({
      grant_type: Type.Literal("client_credential"),
      appid: Type.String(),
      secret: Type.String(),
    }),
    response: TokenResponse,
    dailyQuota: 2000,
  }),
  /**
   * 获取稳定版接口调用凭据
   *
   * Get the stable access_token, independent of /cgi-bin/token; force_refresh renews it.
   *
   * See spec/basics.md §4.
   */
  stableToken: endpoint({
    title: "获取稳定版接口调用凭据",
    method: "POST",
    host: "api",
    path: "/cgi-bin/stable_token",
    permission: "basic.access_token",
    auth: "none",
    request: Type.Object({
      grant_type: Type.Literal("client_credential"),
      appid: Type.String(),
      secret: Type.String(),
      force_refresh: Type.Optional(Type.Boolean()),
    }),
    response: TokenResponse,
    dailyQuota: 500000,
  }),
  /**
   * 获取微信推送服务器IP
   *
   * The addresses WeChat pushes from (for the developer's firewall).
   *
   * See spec/basics.md §5.
   */
  getCallbackIp: endpoint({
    title: "获取微信推送服务器IP",
    method: "GET",
    host: "api",
    path: "/cgi-bin/getcallbackip",
    permission: "basic.server_ip",
    request: Empty,
    response: IpList,
  }),
  /**
   * 获取微信API服务器IP
   *
   * The addresses api.weixin.qq.com resolves to.
   *
   * See spec/basics.md §5.
   */
  getApiDomainIp: endpoint({
    title: "获取微信API服务器IP",
    method: "GET",
    host: "api",
    path: "/cgi-bin/get_api_domain_ip",
    permission: "basic.server_ip",
    request: Empty,
    response: IpList,
  }),
  /**
   * 重置API调用次数
   *
   * Reset every API's daily counters of the account (10 resets a month).
   *
   * See spec/basics.md §7.2.
   */
  clearQuota: endpoint({
    title: "重置API调用次数",
    method: "POST",
    host: "api",
    path: "/cgi-bin/clear_quota",
    permission: "basic.access_token",
    request: Type.Object({ appid: Type.String() }),
    response: Ok,
    dailyQuota: 100,
  }),
  /**
   * 查询API调用额度
   *
   * Read one API's daily limit, use and remainder.
   *
   * See spec/basics.md §7.4.
   */
  getQuota: endpoint({
    title: "查询API调用额度",
    method: "POST",
    host: "api",
    path: "/cgi-bin/openapi/quota/get",
    permission: "basic.access_token",
    request: Type.Object({ cgi_path: Type.String() }),
    response: OkWith({
      quota: Type.Object({ daily_limit: Type.Number(), used: Type.Number(), remain: Type.Number() }),
      rate_limit: Type.Optional(Type.Object({ call_count: Type.Number(), refresh_second: Type.Number() })),
      component_rate_limit: Type.Optional(
        Type.Object({ call_count: Type.Number(), refresh_second: Type.Number() }),
      ),
    }),
  }),
  /**
   * 查询rid信息
   *
   * Look up a call by the rid its error answer carried (7 days, own account only).
   *
   * See spec/basics.md §7.6.
   */
  getRid: endpoint({
    title: "查询rid信息",
    method: "POST",
    host: "api",
    path: "/cgi-bin/openapi/rid/get",
    permission: "basic.access_token",
    request: Type.Object({ rid: Type.String() }),
    response: OkWith({
      request: Type.Object({
        invoke_time: Type.Number(),
        cost_in_ms: Type.Number(),
        request_url: Type.String(),
        request_body: Type.String(),
        response_body: Type.String(),
        client_ip: Type.String(),
      }),
    }),
  }),
});
