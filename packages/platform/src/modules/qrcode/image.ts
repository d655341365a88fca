/** The QR image of a code: a real, scannable PNG of its URL (the `qrcode` library). */
import QRCode from "qrcode";

/** WeChat's showqrcode images are 430×430. */
export const QR_IMAGE_SIZE = 430;

export function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, {
    type: "png",
    width: QR_IMAGE_SIZE,
    margin: 3,
    errorCorrectionLevel: "M",
  });
}
