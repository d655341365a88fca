/**
 * Files and calls for the materials and mass tests: the smallest bytes each format is recognised by
 * (a PNG, JPEG, GIF, BMP, AMR of a given length, MP3 frame, MP4 `ftyp` box), multipart uploads, and
 * a platform's demo accounts by kind.
 */
import type { Running } from "./helpers.js";
import { tokenFor } from "./helpers.js";

export const VS = { appid: "wxd000000000000002", secret: "d0000000000000000000000000000002" };
export const VV = { appid: "wxd000000000000004", secret: "d0000000000000000000000000000004" };
export const US = { appid: "wxd000000000000001", secret: "d0000000000000000000000000000001" };

const pad = (head: Buffer, size: number) =>
  Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length), 7)]);

export const png = (size = 64, seed = 0) =>
  pad(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, seed & 0xff, (seed >> 8) & 0xff]), size);
export const jpeg = (size = 64, seed = 0) => pad(Buffer.from([0xff, 0xd8, 0xff, 0xe0, seed & 0xff]), size);
export const gif = (size = 64) => pad(Buffer.from("GIF89a", "latin1"), size);
export const bmp = (size = 64) => pad(Buffer.from("BM", "latin1"), size);
export const mp4 = (size = 64) =>
  pad(Buffer.from([0, 0, 0, 0x18, ...Buffer.from("ftypisom", "latin1")]), size);
/** AMR-NB of `seconds` (20 ms frames of mode 0, 13 bytes each). */
export function amr(seconds: number): Buffer {
  const frames = Math.round(seconds / 0.02);
  const frame = Buffer.alloc(13, 0);
  frame[0] = 0x04;
  return Buffer.concat([Buffer.from("#!AMR\n", "latin1"), ...Array(frames).fill(frame)]);
}

export interface Wechat {
  token(acct: { appid: string; secret: string }): Promise<string>;
  /** POST JSON to a /cgi-bin path with the account's token. */
  call(
    acct: { appid: string; secret: string },
    path: string,
    body?: unknown,
  ): Promise<Record<string, unknown>>;
  get(acct: { appid: string; secret: string }, pathAndQuery: string): Promise<Response>;
  /** A multipart upload (file part `media`, plus text fields). */
  upload(
    acct: { appid: string; secret: string },
    pathAndQuery: string,
    file: Buffer | null,
    filename?: string,
    fields?: Record<string, string>,
  ): Promise<Record<string, unknown>>;
  forgetTokens(): void;
}

export function wechat(r: Running): Wechat {
  const tokens = new Map<string, string>();
  const token = async (acct: { appid: string; secret: string }) => {
    const t = tokens.get(acct.appid) ?? (await tokenFor(r, acct.appid, acct.secret));
    tokens.set(acct.appid, t);
    return t;
  };
  const sep = (p: string) => (p.includes("?") ? "&" : "?");
  return {
    token,
    async call(acct, path, body = {}) {
      return (await r.post(`${path}${sep(path)}access_token=${await token(acct)}`, body)).body;
    },
    async get(acct, path) {
      return r.raw(`${path}${sep(path)}access_token=${await token(acct)}`);
    },
    async upload(acct, path, file, filename = "file.bin", fields = {}) {
      const form = new FormData();
      if (file) form.append("media", new Blob([new Uint8Array(file)]), filename);
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      const res = await r.raw(`${path}${sep(path)}access_token=${await token(acct)}`, {
        method: "POST",
        body: form,
      });
      return (await res.json()) as Record<string, unknown>;
    },
    forgetTokens: () => tokens.clear(),
  };
}

/** Move the platform clock (tokens expire with big moves: forget them). */
export async function advance(r: Running, w: Wechat, seconds: number): Promise<void> {
  await r.post("/_mpstack/clock", { advanceSeconds: seconds });
  w.forgetTokens();
}
