/**
 * What a file is, from its bytes (never its name: a PNG called `a.jpg` is a PNG), and how long a
 * voice plays (material.md §5 rule 3: ≤ 60 s). Durations are read where the format makes it cheap:
 * AMR frames (20 ms each), MP3 frames, WAV's data size over its byte rate; other formats answer
 * `null` and are not held to the limit (emulator choice, as the spec allows).
 */

export type FileFormat = "jpg" | "png" | "gif" | "bmp" | "amr" | "mp3" | "wav" | "wma" | "mp4" | "speex";

export interface Sniffed {
  format: FileFormat;
  contentType: string;
}

const CONTENT_TYPES: Record<FileFormat, string> = {
  jpg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  bmp: "image/bmp",
  amr: "audio/amr",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  wma: "audio/x-ms-wma",
  mp4: "video/mp4",
  speex: "voice/speex",
};

const startsWith = (b: Buffer, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);
const ascii = (b: Buffer, at: number, text: string) => b.toString("latin1", at, at + text.length) === text;

/** The file's format, or null when it is none the platform knows. */
export function sniff(b: Buffer): Sniffed | null {
  const format = formatOf(b);
  return format ? { format, contentType: CONTENT_TYPES[format] } : null;
}

function formatOf(b: Buffer): FileFormat | null {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return "jpg";
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a")) return "gif";
  if (ascii(b, 0, "BM") && b.length > 26) return "bmp";
  if (ascii(b, 0, "#!AMR")) return "amr";
  if (ascii(b, 0, "RIFF") && ascii(b, 8, "WAVE")) return "wav";
  if (startsWith(b, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) return "wma";
  if (ascii(b, 4, "ftyp")) return "mp4";
  if (ascii(b, 0, "OggS") && b.indexOf("Speex", 0, "latin1") !== -1) return "speex";
  if (ascii(b, 0, "ID3") || mp3FrameAt(b, 0) !== null) return "mp3";
  return null;
}

/** Playing time in seconds, or null when the format is not measured. */
export function voiceSeconds(b: Buffer, format: FileFormat): number | null {
  if (format === "amr") return amrSeconds(b);
  if (format === "mp3") return mp3Seconds(b);
  if (format === "wav") return wavSeconds(b);
  return null;
}

// AMR-NB and AMR-WB frame sizes in bytes (header byte included) by frame type; 20 ms per frame.
const AMR_NB = [13, 14, 16, 18, 20, 21, 27, 32, 6, 1, 1, 1, 1, 1, 1, 1];
const AMR_WB = [18, 24, 33, 37, 41, 47, 51, 59, 61, 6, 1, 1, 1, 1, 1, 1];

function amrSeconds(b: Buffer): number {
  const wide = ascii(b, 0, "#!AMR-WB\n");
  const sizes = wide ? AMR_WB : AMR_NB;
  let at = wide ? 9 : 6;
  let frames = 0;
  while (at < b.length) {
    at += sizes[((b[at] ?? 0) >> 3) & 0x0f] ?? 1;
    frames++;
  }
  return frames * 0.02;
}

const MP3_BITRATES = {
  v1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const MP3_RATES = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] } as Record<
  number,
  number[]
>;

/** An MPEG audio layer III frame header at `at`: its length and samples, or null. */
function mp3FrameAt(b: Buffer, at: number): { length: number; samples: number; rate: number } | null {
  if (at + 4 > b.length || b[at] !== 0xff || ((b[at + 1] ?? 0) & 0xe0) !== 0xe0) return null;
  const h1 = b[at + 1] ?? 0;
  const h2 = b[at + 2] ?? 0;
  const version = (h1 >> 3) & 3; // 3 = MPEG1, 2 = MPEG2, 0 = MPEG2.5
  const layer = (h1 >> 1) & 3; // 1 = layer III
  if (version === 1 || layer !== 1) return null;
  const kbps = (version === 3 ? MP3_BITRATES.v1 : MP3_BITRATES.v2)[h2 >> 4];
  const rate = MP3_RATES[version]?.[(h2 >> 2) & 3];
  if (!kbps || !rate) return null;
  const padding = (h2 >> 1) & 1;
  const samples = version === 3 ? 1152 : 576;
  return { length: Math.floor(((samples / 8) * kbps * 1000) / rate) + padding, samples, rate };
}

function mp3Seconds(b: Buffer): number | null {
  let at = 0;
  if (ascii(b, 0, "ID3") && b.length >= 10) {
    const size =
      (((b[6] ?? 0) & 0x7f) << 21) |
      (((b[7] ?? 0) & 0x7f) << 14) |
      (((b[8] ?? 0) & 0x7f) << 7) |
      ((b[9] ?? 0) & 0x7f);
    at = 10 + size;
  }
  let seconds = 0;
  let frames = 0;
  while (at < b.length) {
    const f = mp3FrameAt(b, at);
    if (!f) {
      if (frames > 0) break; // trailing tag or garbage
      at++;
      continue;
    }
    seconds += f.samples / f.rate;
    frames++;
    at += f.length;
  }
  return frames > 0 ? seconds : null;
}

function wavSeconds(b: Buffer): number | null {
  let at = 12;
  let byteRate = 0;
  while (at + 8 <= b.length) {
    const id = b.toString("latin1", at, at + 4);
    const size = b.readUInt32LE(at + 4);
    if (id === "fmt " && at + 16 <= b.length) byteRate = b.readUInt32LE(at + 16);
    if (id === "data") return byteRate > 0 ? size / byteRate : null;
    at += 8 + size + (size % 2);
  }
  return null;
}
