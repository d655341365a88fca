/**
 * Field codecs shared by the inbound-message model: each typed field knows how to read itself from the
 * string-only `XmlRecord` and how to write itself back the way WeChat serialises it (text as CDATA,
 * numbers and numeric ids bare). A `Shape<T>` lists one codec per field of `T`, in wire order, and the
 * compiler checks it against the interface, so the type and the converter cannot drift apart.
 */
import type { XmlRecord, XmlValue } from "../xml.js";
import { type XmlBuildRecord, type XmlBuildValue, XmlRawText } from "../xml-build.js";

/** A typed field did not match the model (missing, repeated, not a number, …). */
export class ShapeError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = "ShapeError";
  }
}

export interface Codec<T> {
  decode(value: XmlValue | undefined, path: string): T;
  encode(value: T): XmlBuildValue;
}

/** One codec per key of `T` (optional keys need codecs that accept `undefined`). Key order = XML order. */
export type Shape<T> = { [K in keyof T]-?: Codec<T[K]> };

function leaf(value: XmlValue | undefined, path: string): string {
  if (value === undefined) throw new ShapeError(path, "missing");
  if (Array.isArray(value)) throw new ShapeError(path, "repeated where one value was expected");
  if (typeof value !== "string") throw new ShapeError(path, "expected text, found child elements");
  return value;
}

/** Text field, written as CDATA. */
export const text: Codec<string> = {
  decode: leaf,
  encode: (value) => value,
};

/** Integer field (timestamps, counts, states), written bare. */
export const int: Codec<number> = {
  decode(value, path) {
    const raw = leaf(value, path).trim();
    const n = /^[-+]?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(n))
      throw new ShapeError(path, `expected an integer, found "${raw.slice(0, 40)}"`);
    return n;
  },
  encode: (value) => value,
};

/** Decimal field (coordinates, precision), written bare. */
export const decimal: Codec<number> = {
  decode(value, path) {
    const raw = leaf(value, path).trim();
    if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(raw)) {
      throw new ShapeError(path, `expected a number, found "${raw.slice(0, 40)}"`);
    }
    return Number(raw);
  },
  encode: (value) => value,
};

/**
 * 64-bit ids (`MsgId`, `MsgID`, `publish_id`) exceed 2^53, so they stay strings. Written bare when they
 * are digits, as WeChat does, otherwise as CDATA.
 */
export const id: Codec<string> = {
  decode: (value, path) => leaf(value, path).trim(),
  encode: (value) => (/^\d+$/.test(value) ? new XmlRawText(value) : value),
};

/** Any value, kept as parsed (fields whose layout no source settles). */
export const anyValue: Codec<XmlValue> = {
  decode(value, path) {
    if (value === undefined) throw new ShapeError(path, "missing");
    return value;
  },
  encode: (value) => value,
};

export function optional<T>(codec: Codec<T>): Codec<T | undefined> {
  return {
    decode: (value, path) => (value === undefined ? undefined : codec.decode(value, path)),
    encode: (value) => (value === undefined ? undefined : codec.encode(value)),
  };
}

/** An element that may repeat in place (`fail_idx`, `item`): always an array, possibly empty. */
export function repeated<T>(codec: Codec<T>): Codec<T[]> {
  return {
    decode(value, path) {
      if (value === undefined) return [];
      const values = Array.isArray(value) ? value : [value];
      return values.map((v, i) => codec.decode(v, `${path}[${i}]`));
    },
    encode: (values) => values.map((v) => codec.encode(v)),
  };
}

/** A wrapper element whose children are repeated `itemName` elements (`PicList/item`, `ResultList/item`). */
export function list<T>(itemName: string, codec: Codec<T>): Codec<T[]> {
  const items = repeated(codec);
  return {
    decode(value, path) {
      const record = asRecord(value, path);
      return items.decode(record[itemName], `${path}.${itemName}`);
    },
    encode: (values) => ({ [itemName]: items.encode(values) }),
  };
}

/** A nested element with named children. */
export function object<T>(shape: Shape<T>): Codec<T> {
  return {
    decode: (value, path) => decodeShape(shape, asRecord(value, path), path),
    encode: (value) => encodeShape(shape, value),
  };
}

export function decodeShape<T>(shape: Shape<T>, record: XmlRecord, path: string): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(shape) as (keyof T & string)[]) {
    const value = shape[key].decode(Object.hasOwn(record, key) ? record[key] : undefined, `${path}.${key}`);
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}

export function encodeShape<T>(shape: Shape<T>, value: T): XmlBuildRecord {
  const out: XmlBuildRecord = {};
  for (const key of Object.keys(shape) as (keyof T & string)[]) {
    const encoded = shape[key].encode(value[key]);
    if (encoded !== undefined) out[key] = encoded;
  }
  return out;
}

/** Empty elements (`<ResultList></ResultList>`) parse as "", which is an empty record here. */
function asRecord(value: XmlValue | undefined, path: string): XmlRecord {
  if (value === undefined) throw new ShapeError(path, "missing");
  if (Array.isArray(value)) throw new ShapeError(path, "repeated where one element was expected");
  if (typeof value === "string") {
    if (value.trim() !== "") throw new ShapeError(path, "expected child elements, found text");
    return {};
  }
  return value;
}
