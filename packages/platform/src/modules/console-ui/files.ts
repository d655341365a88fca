/**
 * The console's built files (React + Vite output of packages/console) as the platform serves them:
 * found next to the platform's own build (`dist/console/`, where the console's build writes them,
 * so `npm pack` of @mpstack/platform ships them), read once into memory on the first request (a
 * few hundred KB), gzip-compressed once, with an ETag each.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export interface StaticFile {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
  etag: string;
  /** Hashed names (Vite's `assets/name-HASH.js`) never change: cached for a year. */
  immutable: boolean;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".wav": "audio/wav",
  ".txt": "text/plain; charset=utf-8",
};
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".svg", ".json", ".txt"]);
/** The console is small; anything bigger than this in the folder is not served. */
const MAX_TOTAL_BYTES = 32 * 1024 * 1024;

/**
 * Where the built console is: `MPSTACK_CONSOLE_DIR` if set, else `console/` or `dist/console/` in
 * this file's folder or one above it (dist/modules/console-ui/ → dist/console; the bundled CLI in
 * dist/ → dist/console; the sources in src/modules/console-ui/ → packages/platform/dist/console).
 */
export function findConsoleDir(): string | null {
  const env = process.env.MPSTACK_CONSOLE_DIR;
  if (env) return existsSync(join(env, "index.html")) ? env : null;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    for (const candidate of [join(dir, "console"), join(dir, "dist", "console")]) {
      if (existsSync(join(candidate, "index.html"))) return candidate;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Every file of the folder by its URL path below the console's base (`index.html`, `assets/x.js`). */
export function loadConsoleFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  let total = 0;
  for (const path of walk(dir)) {
    const ext = extname(path);
    const type = TYPES[ext];
    if (!type) continue;
    const body = readFileSync(path);
    total += body.length;
    if (total > MAX_TOTAL_BYTES) break;
    const key = relative(dir, path).split(sep).join("/");
    files.set(key, {
      body,
      gzip: COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body, { level: 9 }) : null,
      type,
      etag: `"${createHash("sha1").update(body).digest("base64url").slice(0, 20)}"`,
      immutable: key.startsWith("assets/"),
    });
  }
  return files;
}
