/**
 * Blob storage for media bytes, behind one small interface. Blobs are content-addressed (their
 * SHA-256), so the same bytes are stored once however many media ids point at them. Two stores:
 * files in the data folder (the default: SQLite runs one process per folder) and rows in the
 * database (PostgreSQL, so several platform processes share them; see blobs-db.ts). Reads stream:
 * a download never holds a whole file in memory.
 *
 * `touchedAt` is real time (not the platform clock): it only guards a blob put a moment ago, whose
 * media row is not written yet, from the garbage collection of unreferenced blobs.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";

export interface StoredBlob {
  hash: string;
  /** When the blob was last put (ms since the epoch, real time). */
  touchedAt: number;
}

export interface BlobStore {
  /** Where blobs live, for the start-up banner and the simulator. */
  readonly kind: "files" | "database";
  /** Store bytes; answers their SHA-256 (hex). Putting bytes already stored only touches them. */
  put(data: Buffer): Promise<string>;
  /** The bytes as a stream, or null when no such blob is stored. */
  open(hash: string): Promise<Readable | null>;
  /** The bytes at once (world export), or null. */
  read(hash: string): Promise<Buffer | null>;
  delete(hash: string): Promise<void>;
  list(): Promise<StoredBlob[]>;
  /** Remove every blob (world reset). */
  clear(): Promise<void>;
}

export const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

const HASH = /^[0-9a-f]{64}$/;
export const isBlobHash = (h: string) => HASH.test(h);

/** Blobs as files `<dir>/<first two hex digits>/<hash>`, written to a temporary name, then renamed. */
export class FileBlobStore implements BlobStore {
  readonly kind = "files";
  constructor(private readonly dir: string) {}

  private path(hash: string): string {
    if (!isBlobHash(hash)) throw new Error(`not a blob hash: ${hash.slice(0, 80)}`);
    return join(this.dir, hash.slice(0, 2), hash);
  }

  async put(data: Buffer): Promise<string> {
    const hash = sha256(data);
    const file = this.path(hash);
    const now = new Date();
    try {
      await utimes(file, now, now);
      return hash;
    } catch {
      // not stored yet
    }
    await mkdir(join(this.dir, hash.slice(0, 2)), { recursive: true });
    const tmp = join(this.dir, `.tmp-${randomBytes(8).toString("hex")}`);
    await writeFile(tmp, data);
    await rename(tmp, file);
    return hash;
  }

  async open(hash: string): Promise<Readable | null> {
    const file = this.path(hash);
    try {
      await stat(file);
    } catch {
      return null;
    }
    return createReadStream(file);
  }

  async read(hash: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(hash));
    } catch {
      return null;
    }
  }

  async delete(hash: string): Promise<void> {
    await rm(this.path(hash), { force: true });
  }

  async list(): Promise<StoredBlob[]> {
    const out: StoredBlob[] = [];
    let dirs: string[];
    try {
      dirs = await readdir(this.dir);
    } catch {
      return out;
    }
    for (const d of dirs) {
      if (!/^[0-9a-f]{2}$/.test(d)) continue;
      for (const name of await readdir(join(this.dir, d))) {
        if (!isBlobHash(name)) continue;
        const s = await stat(join(this.dir, d, name)).catch(() => null);
        if (s) out.push({ hash: name, touchedAt: s.mtimeMs });
      }
    }
    return out;
  }

  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
