/**
 * For the route fuzz: a plausible value from a JSON schema (a catalog endpoint's request, a
 * simulator route's body from /_mpstack/openapi.json), the paths of its string and number leaves,
 * and a copy with one leaf replaced — so one bad field at a time reaches as deep as it can.
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  const?: unknown;
  enum?: unknown[];
  minimum?: number;
  minItems?: number;
  minLength?: number;
  pattern?: string;
  maxLength?: number;
}

/** Values for fields whose name says what they are (so the rest of the body gets past lookups). */
export type Known = Record<string, unknown>;

export function sample(schema: JsonSchema, known: Known = {}, name = "", depth = 0): unknown {
  if (name in known) return known[name];
  if (depth > 8) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const branch = schema.anyOf ?? schema.oneOf;
  if (branch?.length) return sample(branch[0]!, known, name, depth);
  if (schema.allOf?.length) {
    return Object.assign({}, ...schema.allOf.map((s) => sample(s, known, name, depth) as object));
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(schema.properties ?? {})) {
        const v = sample(s, known, k, depth + 1);
        if (v !== undefined) out[k] = v;
      }
      return out;
    }
    case "array":
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () =>
        sample(schema.items ?? {}, known, name, depth + 1),
      );
    case "string": {
      const plain = "fuzz".padEnd(schema.minLength ?? 0, "z").slice(0, schema.maxLength ?? 64);
      if (!schema.pattern) return plain;
      const re = new RegExp(schema.pattern);
      // No candidate fits: leave the field out (the object drops it).
      return PATTERN_CANDIDATES.find((c) => re.test(c));
    }
    case "integer":
    case "number":
      return Math.max(1, schema.minimum ?? 1);
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return "fuzz";
  }
}

/** Strings tried in turn for a field with a `pattern`. */
const PATTERN_CANDIDATES = [
  "fuzz",
  "1",
  "0",
  "1.1",
  "12345",
  "wxd000000000000004",
  "https://example.com/x",
  "a-b_c",
];

export type Leaf = { path: (string | number)[]; kind: "string" | "number" };

/** The string and number leaves of a value (keys and indexes from the root). */
export function leaves(value: unknown, path: (string | number)[] = []): Leaf[] {
  if (typeof value === "string") return [{ path, kind: "string" }];
  if (typeof value === "number") return [{ path, kind: "number" }];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [];
}

/** A deep copy of `value` with the leaf at `path` replaced. */
export function replaced(value: unknown, path: (string | number)[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaced(v, rest, leaf) : v));
  const o = { ...(value as Record<string, unknown>) };
  o[head] = replaced(o[head], rest, leaf);
  return o;
}

/** Text XML cannot carry, one kind per sample. */
export const NON_XML_TEXT = [
  "nul\u0000",
  "bell\u0007",
  "\ud800lone",
  "lone\udfff",
  "\ufffe",
  "end\uffff",
  "esc\u001b",
];

/** Does the schema refuse fields it does not declare (at its top level)? */
export function isClosed(schema: JsonSchema): boolean {
  return schema.type === "object" && schema.additionalProperties === false;
}
