/**
 * Random hex digits for ids on hot paths (the platform's rids and message ids). A `randomBytes` call
 * per id costs more than the rest of making the id (it measured 5% of a push), so bits are drawn
 * 4 KiB at a time from the CSPRNG and handed out as hex text.
 */
import { randomBytes } from "node:crypto";

let pool = "";
let offset = 0;

/** `chars` random hex digits (at most 64). */
export function randomHex(chars: number): string {
  if (offset + chars > pool.length) {
    pool = randomBytes(4096).toString("hex");
    offset = 0;
  }
  offset += chars;
  return pool.slice(offset - chars, offset);
}
