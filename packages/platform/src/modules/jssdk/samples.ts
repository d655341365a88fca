/**
 * Each simulated user's sample files, for the pickers of the simulated client: three photos
 * (real PNGs, a gradient in a hue of the user's own, so different users' pictures differ) and a
 * voice clip (a valid two-second AMR file of silence, with a transcript for translateVoice).
 */
import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";

export const SAMPLE_IMAGE_COUNT = 3;
const WIDTH = 240;
const HEIGHT = 180;
export const SAMPLE_VOICE_SECONDS = 2;
export const SAMPLE_TRANSCRIPT = "你好，这是一段示例语音。";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const a = s * Math.min(l, 1 - l);
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** The n-th sample photo of a user (n = 0, 1, 2): a PNG. */
export function samplePng(userId: string, n: number): Buffer {
  const hue = createHash("sha256").update(`${userId}:${n}`).digest()[0]! * (360 / 256);
  const rows: Buffer[] = [];
  for (let y = 0; y < HEIGHT; y++) {
    const row = Buffer.alloc(1 + WIDTH * 3);
    for (let x = 0; x < WIDTH; x++) {
      const [r, g, b] = hsl((hue + (x * 60) / WIDTH) % 360, 0.6, 0.35 + (0.4 * y) / HEIGHT);
      row[1 + x * 3] = r;
      row[2 + x * 3] = g;
      row[3 + x * 3] = b;
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(WIDTH, 0);
  header.writeUInt32BE(HEIGHT, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** The sample recording: AMR-NB, `NO_DATA` frames of 20 ms each. */
export function sampleAmr(): Buffer {
  return Buffer.concat([Buffer.from("#!AMR\n", "latin1"), Buffer.alloc(SAMPLE_VOICE_SECONDS * 50, 0x7c)]);
}
