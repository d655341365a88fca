/**
 * Decoding a dropped QR image in the browser: the picture is drawn on a canvas and read with jsQR
 * (loaded only when the first image is dropped, so it costs the first screen nothing).
 */
export async function decodeQrImage(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 1200 / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  const g = canvas.getContext("2d", { willReadFrequently: true });
  if (!g) return null;
  g.fillStyle = "#fff";
  g.fillRect(0, 0, w, h);
  g.drawImage(bitmap, 0, 0, w, h);
  const data = g.getImageData(0, 0, w, h);
  const { default: jsQR } = await import("jsqr");
  return jsQR(data.data, w, h)?.data ?? null;
}
