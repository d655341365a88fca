/**
 * Media bytes across the world's life: the world part that carries blobs in an export (`parts.media`
 * = `{ blobs: { <sha256>: <base64> } }` — each checked against its hash on import), the sweep that
 * drops temporary media a day after it expired, and the collection of blobs no row uses any more
 * (only those not put within the last ten minutes: a blob is put before its row is written).
 */
import type { Db } from "../../db/schema.js";
import type { WorldPart } from "../../module.js";
import { type BlobStore, isBlobHash, sha256 } from "./blobs.js";
import { purgeExpired } from "./temporary.js";

const GRACE_MS = 10 * 60 * 1000;
const EXPIRED_KEEP_MS = 24 * 3600 * 1000;

/** Every blob hash some row refers to. */
async function referencedHashes(db: Db): Promise<Set<string>> {
  const out = new Set<string>();
  for (const table of ["media", "materials", "image_urls"] as const) {
    const rows = await db.selectFrom(table).select("blob_hash").distinct().execute();
    for (const r of rows) if (r.blob_hash) out.add(r.blob_hash);
  }
  return out;
}

/** Remove expired temporary rows and unreferenced blobs; answers how many blobs went. */
export async function sweepMedia(db: Db, blobs: BlobStore, platformNow: number): Promise<number> {
  await purgeExpired(db, platformNow, EXPIRED_KEEP_MS);
  const used = await referencedHashes(db);
  const cutoff = Date.now() - GRACE_MS;
  let removed = 0;
  for (const b of await blobs.list()) {
    if (used.has(b.hash) || b.touchedAt > cutoff) continue;
    await blobs.delete(b.hash);
    removed++;
  }
  return removed;
}

export function mediaWorldPart(db: Db, blobs: BlobStore): WorldPart {
  return {
    name: "media",
    tables: ["blob_index", "blob_chunks"],
    async export() {
      const out: Record<string, string> = {};
      for (const hash of await referencedHashes(db)) {
        const data = await blobs.read(hash);
        if (data) out[hash] = data.toString("base64");
      }
      return { blobs: out };
    },
    async import(value) {
      const given = (value as { blobs?: unknown } | undefined)?.blobs;
      if (!given || typeof given !== "object") return;
      for (const [hash, text] of Object.entries(given as Record<string, unknown>)) {
        if (!isBlobHash(hash) || typeof text !== "string") continue;
        const data = Buffer.from(text, "base64");
        if (sha256(data) === hash) await blobs.put(data);
      }
    },
    clear: () => blobs.clear(),
  };
}
