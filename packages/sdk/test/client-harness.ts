/**
 * What the client test files share: a client for a fake WeChat, and ad-hoc catalog entries that
 * exercise placement rules (query keys, multipart, binary answers, other hosts) the catalog's own
 * groups may not cover yet.
 */
import { endpoint, group } from "@mpstack/protocol";
import { Type } from "@sinclair/typebox";
import { createClient } from "../src/index.js";
import type { FakeWechat } from "./helpers/fake-wechat.js";

export const clientFor = (f: FakeWechat, extra: Partial<Parameters<typeof createClient>[0]> = {}) =>
  createClient({ appId: f.appId, appSecret: f.appSecret, baseUrl: f.url, busyRetryDelayMs: 20, ...extra });

export const adHoc = group("adhoc", {
  upload: endpoint({
    title: "multipart with a query key",
    method: "POST",
    host: "api",
    path: "/cgi-bin/media/upload",
    permission: null,
    requestIn: "multipart",
    queryKeys: ["type"],
    request: Type.Object({
      type: Type.String(),
      media: Type.Unknown(),
      description: Type.Optional(Type.Unknown()),
    }),
    response: Type.Object({ type: Type.String(), media_id: Type.String() }),
  }),
  download: endpoint({
    title: "binary download",
    method: "GET",
    host: "api",
    path: "/cgi-bin/media/get",
    permission: null,
    request: Type.Object({ media_id: Type.String() }),
    response: Type.Object({ video_url: Type.String() }),
    responseKind: "binary",
  }),
  send: endpoint({
    title: "json with a query key",
    method: "POST",
    host: "api",
    path: "/cgi-bin/message/custom/send",
    permission: null,
    queryKeys: ["flag"],
    request: Type.Object({
      flag: Type.String(),
      touser: Type.String(),
      text: Type.Object({ content: Type.String() }),
    }),
    response: Type.Object({ errcode: Type.Number(), errmsg: Type.String() }),
  }),
  page: endpoint({
    title: "mp host page",
    method: "GET",
    host: "mp",
    path: "/cgi-bin/showqrcode",
    permission: null,
    auth: "none",
    request: Type.Object({ ticket: Type.String() }),
    response: Type.Object({}),
    responseKind: "binary",
  }),
  authorize: endpoint({
    title: "open host",
    method: "GET",
    host: "open",
    path: "/connect/oauth2/authorize",
    permission: null,
    auth: "none",
    request: Type.Object({ appid: Type.String() }),
    response: Type.Object({ ok: Type.Boolean() }),
  }),
});
