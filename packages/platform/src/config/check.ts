/**
 * Checking a config (and simulator inputs shaped like it) against TypeBox schemas, with one clear
 * message naming the first bad field (`accounts[0].secret: must be 32 hex characters`), thrown as
 * ConfigError; the CLI prints it and refuses to start. Modules own their sections' schemas
 * (`ConfigSection`); this file is the shared mechanism: messages, paths, sections in order.
 *
 * A schema may carry `errorMessage` (its own words for any problem with that value); otherwise the
 * message says what was expected: an object, an array, a string, one of the allowed values, …
 */
import type { Static, TSchema } from "@sinclair/typebox";
import { type TypeCheck, TypeCompiler, ValueErrorType } from "@sinclair/typebox/compiler";
import type { ValueError } from "@sinclair/typebox/value";
import type { ConfigSection, PlatformConfig } from "./types.js";

export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = "ConfigError";
  }
}

export function fail(field: string, problem: string): never {
  throw new ConfigError(field, problem);
}

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

/** `value` as `schema`'s type, or a ConfigError for its first problem, named from `field`. */
export function checkConfig<T extends TSchema>(schema: T, value: unknown, field: string): Static<T> {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  if (check.Check(value)) return value as Static<T>;
  throw firstProblem(check, value, field);
}

/** The first problem of a value that failed `check`, as a ConfigError named from `base`. */
export function firstProblem(check: TypeCheck<TSchema>, value: unknown, base: string): ConfigError {
  const first = check.Errors(value).First();
  if (!first) return new ConfigError(base, "is invalid");
  return new ConfigError(fieldOf(base, first.path), problemOf(first));
}

/** `/accounts/0/server/url` under `config` → `accounts[0].server.url` (JSON-pointer escapes undone). */
function fieldOf(base: string, pointer: string): string {
  let out = base;
  for (const raw of pointer.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else out = out === "" ? seg : `${out}.${seg}`;
  }
  return out;
}

function allowedValues(schema: TSchema): unknown[] | undefined {
  const options = (schema as { anyOf?: TSchema[] }).anyOf;
  if (!options?.every((o) => "const" in o)) return undefined;
  return options.map((o) => (o as unknown as { const: unknown }).const);
}

function problemOf(e: ValueError): string {
  if (e.type === ValueErrorType.ObjectAdditionalProperties) return "unknown field";
  if (e.type === ValueErrorType.ObjectRequiredProperty || e.value === undefined) return "is required";
  const own = (e.schema as { errorMessage?: string }).errorMessage;
  if (own) return own;
  const allowed = allowedValues(e.schema);
  if (allowed) return `must be one of ${allowed.map(String).join(", ")}`;
  switch (e.type) {
    case ValueErrorType.Object:
      return "must be an object";
    case ValueErrorType.Array:
      return "must be an array";
    case ValueErrorType.String:
    case ValueErrorType.StringPattern:
    case ValueErrorType.StringMinLength:
    case ValueErrorType.StringMaxLength:
      return e.type === ValueErrorType.String
        ? "must be a string"
        : e.message.replace(/^Expected string/, "must be a string");
    case ValueErrorType.Boolean:
      return "must be true or false";
    case ValueErrorType.Integer:
    case ValueErrorType.Number:
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      return "must be a non-negative integer";
    default:
      return e.message;
  }
}

/** Every value of `values` is unique; the second of a pair is named (`accounts[1].appid: duplicate "wx…"`). */
export function uniqueBy<T>(
  values: readonly T[],
  key: (v: T) => string,
  list: string,
  field: string,
): Set<string> {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    const k = key(v);
    if (seen.has(k)) fail(`${list}[${i}].${field}`, `duplicate "${k}"`);
    seen.add(k);
  });
  return seen;
}

/**
 * A whole config: every section of `sections` read in order (each sees the sections read before
 * it), unknown top-level keys refused. `$schema` is allowed (editors use it).
 */
export function readConfig(raw: unknown, sections: readonly ConfigSection[]): PlatformConfig {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) fail("config", "must be an object");
  const o = raw as Record<string, unknown>;
  const keys = sections.map((s) => s.key);
  for (const k of Object.keys(o)) {
    if (k !== "$schema" && !keys.includes(k)) fail(k, `unknown field (expected ${keys.join(", ")})`);
  }
  const out: Record<string, unknown> = {};
  for (const s of sections) out[s.key] = s.read(o[s.key], out);
  return out as unknown as PlatformConfig;
}
