/**
 * What the phone sends besides text: uploads go to `POST /_mpstack/user-media` (JSON, base64) and
 * the message names the media id; a voice "sample" is a short tone made here as a WAV file; place
 * presets for the map-free location picker.
 */
import { fileToBase64, post } from "../api/client.js";

export interface Uploaded {
  mediaId: string;
  url: string;
  format: string;
}

export async function uploadMedia(blob: Blob, contentType = blob.type): Promise<Uploaded> {
  return post<Uploaded>("/user-media", { contentType, data: await fileToBase64(blob) });
}

/** A mono 16-bit PCM WAV of a tone (`seconds` long, fading out): the voice sample. */
export function toneWav(seconds = 1.2, hz = 440, rate = 8000): Blob {
  const n = Math.round(seconds * rate);
  const buf = new ArrayBuffer(44 + n * 2);
  const v = new DataView(buf);
  const text = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) v.setUint8(at + i, s.charCodeAt(i));
  };
  text(0, "RIFF");
  v.setUint32(4, 36 + n * 2, true);
  text(8, "WAVE");
  text(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  text(36, "data");
  v.setUint32(40, n * 2, true);
  for (let i = 0; i < n; i++) {
    const fade = 1 - i / n;
    v.setInt16(44 + i * 2, Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 12000 * fade), true);
  }
  return new Blob([buf], { type: "audio/wav" });
}

export interface Place {
  /** i18n-free: shown as is (Chinese name · English name). */
  label: string;
  latitude: number;
  longitude: number;
}

export const PLACES: readonly Place[] = [
  { label: "人民广场 People's Square, Shanghai", latitude: 31.2304, longitude: 121.4737 },
  { label: "天安门 Tiananmen, Beijing", latitude: 39.9087, longitude: 116.3975 },
  { label: "西湖 West Lake, Hangzhou", latitude: 30.2431, longitude: 120.1503 },
  { label: "深圳湾 Shenzhen Bay, Shenzhen", latitude: 22.5011, longitude: 113.9497 },
  { label: "广州塔 Canton Tower, Guangzhou", latitude: 23.1065, longitude: 113.3245 },
  { label: "宽窄巷子 Kuanzhai Alley, Chengdu", latitude: 30.6637, longitude: 104.0538 },
];
