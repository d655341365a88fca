/**
 * media-upload: `media/upload?type=video` of a 10 MB file, end to end (token, multipart, the
 * pipeline's checks, sniffing, the content-addressed blob write, the media row, the journal), vs a
 * floor: a bare Fastify with @fastify/multipart that reads the same file into memory and writes it
 * to disk. Both run in this process, visited in interleaved rounds (lib/rounds.ts); the ratio is
 * the median of the per-round ratios. Guards the pipeline against walking uploaded bytes (a field
 * check that visited a Buffer's indices once made this 300× slower).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import multipart from "@fastify/multipart";
import { createPlatform } from "@mpstack/platform";
import Fastify from "fastify";
import { interleave, median, pairedRatio, round2 } from "./lib/rounds.js";

type Kind = "ours" | "floor";
const MB = 1024 * 1024;
const SIZE = 10 * MB;
const ROUNDS = 6;
const PER_ROUND = 3;
const APPID = "wxd000000000000004";
const SECRET = "d0000000000000000000000000000004";

const video = Buffer.alloc(SIZE, 7);
video.write("\0\0\0\x18ftypisom", "latin1");

const dir = mkdtempSync(join(tmpdir(), "mpstack-bench-upload-"));
const platform = await createPlatform({ dataDir: join(dir, "platform"), port: 0 });
const ours = await platform.listen();
const token = (
  (await (
    await fetch(`${ours}/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SECRET}`)
  ).json()) as { access_token: string }
).access_token;
const bare = Fastify({ bodyLimit: 30 * MB });
await bare.register(multipart, { limits: { fileSize: 20 * MB } });
let written = 0;
bare.post("/upload", async (req) => {
  const part = await req.file();
  const data = await part?.toBuffer();
  if (!data) return { errcode: 41005 };
  writeFileSync(join(dir, `floor-${written++ % 4}`), data);
  return { type: "video", media_id: String(written) };
});
const floor = await bare.listen({ host: "127.0.0.1", port: 0 });

async function upload(url: string): Promise<void> {
  const form = new FormData();
  form.append("media", new Blob([video], { type: "video/mp4" }), "v.mp4");
  const res = await fetch(url, { method: "POST", body: form });
  const body = (await res.json()) as { type?: string; errcode?: number };
  if (body.type !== "video") throw new Error(`upload refused: ${JSON.stringify(body)}`);
}

const target: Record<Kind, string> = {
  ours: `${ours}/cgi-bin/media/upload?type=video&access_token=${token}`,
  floor: `${floor}/upload`,
};
const perRound: Record<Kind, number[]> = { ours: [], floor: [] };
const rounds = await interleave<Kind>(["ours", "floor"], ROUNDS, 1, async (kind) => {
  const started = performance.now();
  for (let i = 0; i < PER_ROUND; i++) await upload(target[kind]);
  const ms = (performance.now() - started) / PER_ROUND;
  perRound[kind].push(ms);
  // interleave counts "requests": uploads per second, so the ratio is ours / floor in throughput.
  return 1000 / ms;
});

await platform.close();
await bare.close();
rmSync(dir, { recursive: true, force: true });

const oursMs = round2(median(perRound.ours));
const floorMs = round2(median(perRound.floor));
const ratio = round2(pairedRatio(rounds, "ours", "floor"));
console.log(`10 MB video upload: ours ${oursMs} ms · floor (bare Fastify + multipart) ${floorMs} ms`);
console.log(`throughput ratio ours/floor ${ratio} (median of ${ROUNDS} rounds)`);
console.log(
  JSON.stringify({
    bench: "media-upload",
    unit: "ms per 10 MB upload",
    ours: oursMs,
    floor: floorMs,
    vs_floor: ratio,
  }),
);
