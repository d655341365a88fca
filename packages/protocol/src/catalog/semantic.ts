/** Semantic understanding (智能接口 · 语义理解, spec/semantic.md): one endpoint, verified service accounts. */
import { Type } from "@sinclair/typebox";
import { endpoint, group } from "./endpoint.js";

export const semantic = group("semantic", {
  /**
   * 语义理解接口
   *
   * Parse a sentence within the given categories (comma-separated); answers the chosen `type` and
   * `semantic.details` / `intent`, or 7000000 when nothing matched.
   *
   * See spec/semantic.md §1.
   */
  search: endpoint({
    title: "语义理解接口",
    method: "POST",
    host: "api",
    path: "/semantic/semproxy/search",
    permission: "smart.semantic",
    request: Type.Object({
      query: Type.String(),
      category: Type.String(),
      appid: Type.String(),
      uid: Type.Optional(Type.String()),
      city: Type.Optional(Type.String()),
      region: Type.Optional(Type.String()),
      latitude: Type.Optional(Type.Number()),
      longitude: Type.Optional(Type.Number()),
    }),
    response: Type.Object({
      errcode: Type.Integer(),
      query: Type.String(),
      type: Type.String(),
      semantic: Type.Object({
        details: Type.Record(Type.String(), Type.Unknown()),
        intent: Type.String(),
      }),
    }),
  }),
});
