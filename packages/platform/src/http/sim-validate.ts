/**
 * Validation of simulator requests, once for every route:
 *
 * - Bodies are closed: an object schema that does not say `additionalProperties` refuses fields it
 *   does not declare (400 naming them), so a typo or a stray field is never stored. A route that
 *   takes an open object on purpose says so (`{ additionalProperties: true }`, or `Type.Record`).
 * - Every string (values and keys, in the body, the query and the path) must be text XML can
 *   carry: what the simulator stores ends up in pushes and pages (400 naming the field); every
 *   number must be one JavaScript holds exactly (|n| ≤ 2^53 - 1).
 * - Schemas are TypeBox, compiled with TypeBox's compiler on first use (not with ajv at startup:
 *   that alone cost a few hundred ms of start time). Query and path parameters are converted to
 *   the schema's types ("10" → 10); a missing body is validated as `{}`.
 */
import type { TSchema } from "@sinclair/typebox";
import { type TypeCheck, TypeCompiler } from "@sinclair/typebox/compiler";
import { Value, ValueErrorType } from "@sinclair/typebox/value";
import { firstProblem } from "../config/check.js";
import { findNonXmlText, findUnsafeNumber } from "./json-limits.js";

type Node = Record<string | symbol, unknown>;

/** A copy of `schema` whose object schemas refuse undeclared fields unless they say otherwise. */
export function closeObjects<T extends TSchema>(schema: T): T {
  return close(schema, false) as T;
}

function close(s: unknown, inAllOf: boolean): unknown {
  if (Array.isArray(s)) return s.map((x) => close(x, inAllOf));
  if (!s || typeof s !== "object") return s;
  const o = s as Node;
  const out: Node = { ...o }; // keeps TypeBox's symbol keys (Kind, OptionalKind)
  if (o.type === "object" && o.properties && !("additionalProperties" in o) && !inAllOf) {
    out.additionalProperties = false;
  }
  for (const key of ["properties", "patternProperties"]) {
    const props = o[key];
    if (props && typeof props === "object") {
      out[key] = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, close(v, false)]));
    }
  }
  for (const key of ["items", "additionalProperties", "not", "anyOf", "oneOf"]) {
    if (o[key] && typeof o[key] === "object") out[key] = close(o[key], false);
  }
  // The branches of an intersection see each other's fields: they cannot be closed one by one.
  if (Array.isArray(o.allOf)) out.allOf = o.allOf.map((x) => close(x, true));
  return out;
}

const PART_NAMES: Record<string, string> = { querystring: "query", body: "body", params: "params" };

/**
 * Fastify's validatorCompiler for the simulator scope; `fail(message)` builds the 400 error. Bodies
 * are named by their route's `bodyName` where it has one (`account.secret: must be 32 hex
 * characters`, like config errors).
 */
export function simulatorValidator(
  fail: (message: string) => Error,
  bodyNames: ReadonlyMap<TSchema, string>,
) {
  return ({ schema, httpPart }: { schema: unknown; httpPart?: string }) => {
    let check: TypeCheck<TSchema> | undefined;
    const part =
      (httpPart === "body" ? bodyNames.get(schema as TSchema) : undefined) ??
      PART_NAMES[httpPart ?? ""] ??
      "request";
    return (data: unknown) => {
      check ??= TypeCompiler.Compile(schema as TSchema);
      const input = (data === undefined || data === null) && httpPart === "body" ? {} : data;
      const value = httpPart === "body" ? input : Value.Convert(schema as TSchema, input);
      if (!check.Check(value)) return { error: fail(describeErrors(check, value, part)) };
      const bad = findNonXmlText(value);
      if (bad !== null) {
        return {
          error: fail(
            `${part}.${bad}: holds a character text cannot carry (NUL or another control character, a lone surrogate, U+FFFE/U+FFFF)`,
          ),
        };
      }
      const huge = findUnsafeNumber(value);
      if (huge !== null) return { error: fail(`${part}.${huge}: must be between -(2^53 - 1) and 2^53 - 1`) };
      return { value };
    };
  };
}

const dotted = (part: string, path: string) => (path ? `${part}${path.replace(/\//g, ".")}` : part);

function describeErrors(check: TypeCheck<TSchema>, value: unknown, part: string): string {
  const unknown: string[] = [];
  let seen = 0;
  for (const e of check.Errors(value)) {
    if (e.type === ValueErrorType.ObjectAdditionalProperties) unknown.push(dotted(part, e.path));
    if (++seen >= 50) break;
  }
  if (unknown.length > 0) return `unknown field${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`;
  return firstProblem(check, value, part).message;
}
