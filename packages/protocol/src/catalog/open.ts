/** Schemas for WeChat objects the catalog passes through without modelling every field. */
import { type TProperties, Type } from "@sinclair/typebox";

/** Any JSON object. */
export const AnyObject = Type.Record(Type.String(), Type.Unknown());

/** An object with these fields and any others (typed as both). */
export const OpenObject = <P extends TProperties>(props: P) =>
  Type.Intersect([Type.Object(props), AnyObject]);
