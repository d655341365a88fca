/** Schemas shared by many endpoints. */
import { type TProperties, type TSchema, Type } from "@sinclair/typebox";

/** `{"errcode":0,"errmsg":"ok"}` — the success body of write calls. */
export const Ok = Type.Object({ errcode: Type.Number(), errmsg: Type.String() });

/** A success body of a write call that also carries fields. */
export const OkWith = <P extends TProperties>(props: P) =>
  Type.Object({ errcode: Type.Number(), errmsg: Type.String(), ...props });

/** No request fields. */
export const Empty = Type.Object({});

/** An OpenID (28 URL-safe characters on WeChat, but any non-empty string is accepted). */
export const OpenId = Type.String({ minLength: 1 });

/** 64-bit ids (msg_id, MsgID…) stay strings in our types: JavaScript numbers lose precision past 2^53. */
export const Int64 = Type.String({ pattern: "^[0-9]+$" });

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** An integer WeChat documents as a string but some SDKs send as a number (menuid, matchrule values). */
export const StringOrInteger = Type.Union([Type.String(), Type.Integer()]);

/**
 * Bytes (a Node Buffer is one). Typed as `Uint8Array` but schema-wise "anything", so every catalog
 * schema stays plain JSON Schema (TypeBox's own Uint8Array kind breaks Ajv, which Fastify uses).
 */
export const Bytes = Type.Unsafe<Uint8Array>(Type.Any({ description: "bytes" }));

/**
 * A downloaded file: what a `responseKind: "binary"` endpoint yields on success (the platform sends the
 * bytes with `contentType`; the SDK hands this object to the caller).
 */
export const BinaryFile = Type.Object({
  data: Bytes,
  contentType: Type.String(),
  /** From `Content-disposition: attachment; filename="…"`, when sent. */
  filename: Type.Optional(Type.String()),
});

/** The file part (`media`) of a multipart upload. */
export const UploadFile = Type.Object({
  data: Bytes,
  filename: Type.String({ minLength: 1 }),
  contentType: Type.Optional(Type.String()),
});
