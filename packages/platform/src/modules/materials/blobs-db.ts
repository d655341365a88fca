/**
 * The database blob store (PostgreSQL): a blob is an index row and its bytes in 256 KiB chunks, so
 * several platform processes on one database share media, and a download streams chunk by chunk.
 * Same bytes, same hash, stored once (inserts that meet an existing blob do nothing).
 */
import { Readable } from "node:stream";
import type { Db } from "../../db/schema.js";
import { type BlobStore, isBlobHash, type StoredBlob, sha256 } from "./blobs.js";

const CHUNK = 256 * 1024;

export class DbBlobStore implements BlobStore {
  readonly kind = "database";
  constructor(private readonly db: Db) {}

  async put(data: Buffer): Promise<string> {
    const hash = sha256(data);
    const now = Date.now();
    const touched = await this.db
      .updateTable("blob_index")
      .set({ touched_at: now })
      .where("hash", "=", hash)
      .executeTakeFirst();
    if (Number(touched.numUpdatedRows) > 0) return hash;
    const chunks = Math.max(1, Math.ceil(data.length / CHUNK));
    await this.db.transaction().execute(async (trx) => {
      for (let seq = 0; seq < chunks; seq++) {
        await trx
          .insertInto("blob_chunks")
          .values({ hash, seq, data: data.subarray(seq * CHUNK, (seq + 1) * CHUNK) })
          .onConflict((oc) => oc.columns(["hash", "seq"]).doNothing())
          .execute();
      }
      await trx
        .insertInto("blob_index")
        .values({ hash, size: data.length, chunks, touched_at: now })
        .onConflict((oc) => oc.column("hash").doUpdateSet({ touched_at: now }))
        .execute();
    });
    return hash;
  }

  async open(hash: string): Promise<Readable | null> {
    if (!isBlobHash(hash)) return null;
    const row = await this.db
      .selectFrom("blob_index")
      .select("chunks")
      .where("hash", "=", hash)
      .executeTakeFirst();
    if (!row) return null;
    const db = this.db;
    async function* chunks() {
      for (let seq = 0; seq < row!.chunks; seq++) {
        const c = await db
          .selectFrom("blob_chunks")
          .select("data")
          .where("hash", "=", hash)
          .where("seq", "=", seq)
          .executeTakeFirst();
        if (!c) throw new Error(`blob ${hash} lost chunk ${seq}`);
        yield Buffer.from(c.data);
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }

  async read(hash: string): Promise<Buffer | null> {
    const stream = await this.open(hash);
    if (!stream) return null;
    const parts: Buffer[] = [];
    for await (const p of stream) parts.push(p as Buffer);
    return Buffer.concat(parts);
  }

  async delete(hash: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("blob_chunks").where("hash", "=", hash).execute();
      await trx.deleteFrom("blob_index").where("hash", "=", hash).execute();
    });
  }

  async list(): Promise<StoredBlob[]> {
    const rows = await this.db.selectFrom("blob_index").select(["hash", "touched_at"]).execute();
    return rows.map((r) => ({ hash: r.hash, touchedAt: Number(r.touched_at) }));
  }

  async clear(): Promise<void> {
    await this.db.deleteFrom("blob_chunks").execute();
    await this.db.deleteFrom("blob_index").execute();
  }
}
