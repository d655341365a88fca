/**
 * Scan: pick one of the account's parametric QR codes (drawn from their PNGs), or drop / choose a
 * PNG to decode. In the phone's "Scan" it scans the code (`POST /users/{user}/scan`: a follow from a
 * QR code, or SCAN); opened by a scancode_* menu button it hands the decoded text to the tap.
 */
import { useState } from "react";
import { get, seg } from "../api/client.js";
import type { QrcodeView } from "../api/types.js";
import { useT } from "../i18n/index.js";
import { useLoad } from "../ui/data.js";
import { decodeQrImage } from "./qr-decode.js";
import { SheetInput } from "./sheets.js";

export function ScanSheet({
  appid,
  onCode,
  onText,
}: {
  appid: string;
  /** A code of the account was picked. */
  onCode(code: QrcodeView): void;
  /** An image was decoded to this text (any QR code, or typed). */
  onText(text: string): void;
}) {
  const t = useT();
  const codes = useLoad(
    async () =>
      (await get<{ qrcodes: QrcodeView[] }>(`/accounts/${seg(appid)}/qrcodes`, { limit: 20 })).qrcodes,
    [appid],
  );
  const [problem, setProblem] = useState("");
  const [typed, setTyped] = useState("");
  const decode = async (f: File | undefined) => {
    if (!f) return;
    setProblem("");
    try {
      const text = await decodeQrImage(f);
      if (text) onText(text);
      else setProblem(t("noQrFound"));
    } catch {
      setProblem(t("noQrFound"));
    }
  };
  const live = (codes.data ?? []).filter((c) => !c.expired);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping a file is an extra; the file input does the same
    <div
      className="sheet scan-sheet"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        void decode(e.dataTransfer.files[0]);
      }}
    >
      <div className="qr-grid">
        {live.length === 0 && <span className="muted small">{t("noQrcodes")}</span>}
        {live.map((c) => (
          <button key={c.ticket} type="button" className="qr-pick" onClick={() => onCode(c)} title={c.url}>
            <img
              src={`/_mpstack/accounts/${seg(appid)}/qrcodes/${seg(c.ticket)}/image`}
              alt={`QR ${c.scene}`}
              width={72}
              height={72}
            />
            <span className="small">{c.scene}</span>
          </button>
        ))}
      </div>
      <label className="drop-zone">
        {t("dropQr")}
        <input
          className="file-input"
          type="file"
          accept="image/*"
          onChange={(e) => void decode(e.target.files?.[0])}
        />
      </label>
      {problem && <div className="weui-cells__tips warn">{problem}</div>}
      <form
        className="sheet-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed) onText(typed);
        }}
      >
        <SheetInput label={t("scanText")} value={typed} onChange={setTyped} />
        <button type="submit" className="weui-btn weui-btn_default weui-btn_mini">
          {t("scan")}
        </button>
      </form>
    </div>
  );
}
