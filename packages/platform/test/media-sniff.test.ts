/**
 * What a file is by its bytes and how long a voice plays (material.md §5 rules 2–3), and article
 * HTML as WeChat keeps it (§3.1): pure functions, no platform.
 */
import { describe, expect, it } from "vitest";
import { sanitizeArticleHtml } from "../src/modules/materials/sanitize.js";
import { sniff, voiceSeconds } from "../src/modules/materials/sniff.js";

/** `n` MPEG-1 layer III frames at 128 kbit/s, 44.1 kHz (417 bytes, 1152 samples each), after an ID3 tag. */
function mp3(frames: number): Buffer {
  const header = Buffer.from([0xff, 0xfb, 0x90, 0x00]);
  const frame = Buffer.concat([header, Buffer.alloc(417 - 4)]);
  const id3 = Buffer.concat([
    Buffer.from("ID3", "latin1"),
    Buffer.from([3, 0, 0, 0, 0, 0, 10]),
    Buffer.alloc(10),
  ]);
  return Buffer.concat([id3, ...Array(frames).fill(frame)]);
}

/** PCM WAV: 8 kHz, 16-bit mono (16 000 bytes a second) of `seconds`. */
function wav(seconds: number): Buffer {
  const data = 16_000 * seconds;
  const b = Buffer.alloc(44);
  b.write("RIFF", 0, "latin1");
  b.writeUInt32LE(36 + data, 4);
  b.write("WAVEfmt ", 8, "latin1");
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16_000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write("data", 36, "latin1");
  b.writeUInt32LE(data, 40);
  return Buffer.concat([b, Buffer.alloc(data)]);
}

describe("media formats and voice length", () => {
  it("tells formats by their bytes", () => {
    expect(sniff(mp3(2))?.format).toBe("mp3");
    expect(sniff(wav(1))?.format).toBe("wav");
    expect(sniff(Buffer.from([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11, 0]))?.format).toBe("wma");
    expect(sniff(Buffer.from("OggS\0\0\0Speex   ", "latin1"))?.contentType).toBe("voice/speex");
    expect(sniff(Buffer.from("#!AMR-WB\n", "latin1"))?.format).toBe("amr");
    expect(sniff(Buffer.from("<html>", "latin1"))).toBeNull();
  });

  it("measures MP3 and WAV playing time", () => {
    // 1152 / 44 100 s a frame: 1 379 frames ≈ 36.0 s, 2 300 frames ≈ 60.1 s.
    expect(voiceSeconds(mp3(1379), "mp3")).toBeCloseTo(36.02, 1);
    expect(voiceSeconds(mp3(2300), "mp3")! > 60).toBe(true);
    expect(voiceSeconds(wav(3), "wav")).toBe(3);
    expect(voiceSeconds(Buffer.alloc(10), "wma")).toBeNull();
  });
});

describe("article HTML", () => {
  const keep = (src: string) => src.startsWith("http://platform/mmbiz_png/");
  it("drops scripts, handlers, script URLs and foreign images; keeps the rest", () => {
    const html =
      '<p class="a" onmouseover="x()">Hi <b>there</b></p><SCRIPT src=x></SCRIPT><script>evil()</script>' +
      '<a href=" JaVaScRiPt:alert(1)" title="t">link</a><img src="http://platform/mmbiz_png/abc/0"/>' +
      '<img src="https://elsewhere/x.png"><img onerror="x()" src=\'http://platform/mmbiz_png/def/0\'>';
    expect(sanitizeArticleHtml(html, { keepImage: keep, keepLinks: true })).toBe(
      '<p class="a">Hi <b>there</b></p><a title="t">link</a><img src="http://platform/mmbiz_png/abc/0" />' +
        "<img src='http://platform/mmbiz_png/def/0'>",
    );
  });
  it("unwraps links when the account may not use them", () => {
    expect(
      sanitizeArticleHtml('<p><a href="https://x.example">read</a></p>', {
        keepImage: keep,
        keepLinks: false,
      }),
    ).toBe("<p>read</p>");
  });
});
