/**
 * The access rule of the whole simulator scope (`/_mpstack/...`), run before any route:
 *
 * 1. Who may call. With an admin key, every caller must send it (`x-mpstack-admin-key: KEY` or
 *    `Authorization: Bearer KEY`; 401 otherwise). Without one, only loopback callers are served
 *    (403), and only under a loopback host name (`127.0.0.1`, `localhost`, `[::1]`, any port) or
 *    a name the operator allowed (`--allowed-host`): a web page whose own domain was re-pointed at
 *    127.0.0.1 (DNS rebinding) reaches the platform from loopback but under its own name, and is
 *    refused before it can read a secret.
 * 2. No cross-site writes. A state-changing request (anything but GET/HEAD/OPTIONS) that carries
 *    an `Origin` must come from the platform's own origin (the `Host` it was called under) or from
 *    an allowed host name; a POST must also be one a page cannot send without a CORS preflight —
 *    a JSON content type, or an `X-Mpstack-*` / `Authorization` header. A page's `no-cors` fetch
 *    or form post (no body, `text/plain`, form encodings) is refused with 403, whatever its Origin.
 *    PUT, PATCH and DELETE always need a preflight, which the platform never grants.
 *
 * GET pages (the browse-as chooser, media) stay plain links. The one-time browse link
 * (`/_mpstack/browse/link/:token`) is served outside this scope: it carries its own credential.
 */
import { timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import type { FastifyReply, FastifyRequest } from "fastify";
import { isLoopback } from "./ip.js";

export interface SimulatorAccess {
  /** Require this key on every simulator call (then any caller and host name may use it). */
  adminKey?: string | undefined;
  /** Host names (without port) served besides the loopback ones, e.g. `mpstack.test`. */
  allowedHosts?: readonly string[];
}

/** The answer of a refused request: status, code, message. */
export interface Refusal {
  status: 401 | 403;
  code: "unauthorized" | "forbidden";
  message: string;
}

function keyMatches(given: string | undefined, key: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

function presentedKey(req: FastifyRequest): string | undefined {
  const header = req.headers["x-mpstack-admin-key"];
  if (typeof header === "string") return header;
  const auth = req.headers.authorization;
  if (typeof auth === "string" && auth.startsWith("Bearer ")) return auth.slice(7);
  return undefined;
}

/** `Host` header → lower-case host name without port or brackets (`[::1]:7700` → `::1`); null if malformed. */
export function hostNameOf(host: string): string | null {
  const h = host.trim().toLowerCase();
  if (h === "") return null;
  if (h.startsWith("[")) {
    const end = h.indexOf("]");
    if (end === -1) return null;
    const rest = h.slice(end + 1);
    if (rest !== "" && !/^:\d{1,5}$/.test(rest)) return null;
    return h.slice(1, end);
  }
  const colon = h.indexOf(":");
  if (colon !== -1 && !/^:\d{1,5}$/.test(h.slice(colon))) return null;
  const name = colon === -1 ? h : h.slice(0, colon);
  return name.endsWith(".") ? name.slice(0, -1) : name;
}

/** Loopback names: `localhost` (and `*.localhost`, RFC 6761) and loopback IP literals. */
export function isLoopbackName(name: string): boolean {
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  return isIP(name) !== 0 && isLoopback(name);
}

export function normalizeAllowedHosts(names: readonly string[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const n of names ?? []) {
    const name = hostNameOf(n);
    if (name) out.add(name);
  }
  return out;
}

/** Requests a page can make without a preflight (CORS "simple" content types, or none). */
function isPreflightFree(req: FastifyRequest): boolean {
  for (const name of Object.keys(req.headers)) {
    if (name.startsWith("x-mpstack-") || name === "authorization") return false;
  }
  const type = req.headers["content-type"];
  if (type === undefined) return true;
  const essence = type.split(";")[0]!.trim().toLowerCase();
  return (
    essence === "" ||
    essence === "text/plain" ||
    essence === "application/x-www-form-urlencoded" ||
    essence === "multipart/form-data"
  );
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Why `req` is refused by the simulator's access rule, or null when it may proceed. */
export function refusalOf(
  req: FastifyRequest,
  adminKey: string | undefined,
  allowed: Set<string>,
): Refusal | null {
  const hostHeader = req.headers.host;
  const hostName = typeof hostHeader === "string" ? hostNameOf(hostHeader) : null;
  const nameAllowed = (name: string | null) => name !== null && (isLoopbackName(name) || allowed.has(name));
  if (adminKey) {
    if (!keyMatches(presentedKey(req), adminKey))
      return { status: 401, code: "unauthorized", message: "admin key required" };
  } else {
    if (!isLoopback(req.socket.remoteAddress ?? ""))
      return {
        status: 403,
        code: "forbidden",
        message: "the simulator API answers loopback callers only (or start with --admin-key)",
      };
    if (!nameAllowed(hostName))
      return {
        status: 403,
        code: "forbidden",
        message: `host name not allowed: ${String(hostHeader ?? "(none)").slice(0, 100)} (the simulator API answers loopback host names and --allowed-host names)`,
      };
  }
  if (SAFE_METHODS.has(req.method)) return null;
  const origin = req.headers.origin;
  if (origin !== undefined && !originAllowed(origin, hostHeader, nameAllowed)) {
    return {
      status: 403,
      code: "forbidden",
      message: `cross-site request refused (Origin ${origin.slice(0, 100)})`,
    };
  }
  if (req.method === "POST" && isPreflightFree(req)) {
    return {
      status: 403,
      code: "forbidden",
      message:
        "a state-changing request must send Content-Type: application/json (an empty body is fine) or an X-Mpstack-* header",
    };
  }
  return null;
}

function originAllowed(
  origin: string,
  hostHeader: string | undefined,
  nameAllowed: (name: string | null) => boolean,
): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // includes "null" (sandboxed frames, file: pages)
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  if (hostHeader !== undefined && url.host === hostHeader.toLowerCase()) return true;
  return nameAllowed(hostNameOf(url.host));
}

/**
 * The onRequest hook of the simulator scope (and of anything else that must follow its rule). An
 * admin key alone (the older form) means no extra host names.
 */
export function simulatorGuard(access: SimulatorAccess | string | undefined) {
  const a: SimulatorAccess = typeof access === "object" ? access : { adminKey: access };
  const allowed = normalizeAllowedHosts(a.allowedHosts);
  const adminKey = a.adminKey || undefined;
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const refusal = refusalOf(req, adminKey, allowed);
    if (!refusal) return;
    reply.code(refusal.status).send({ error: { code: refusal.code, message: refusal.message } });
    return reply;
  };
}
