/**
 * The phone's "+" sheets: photo, voice (sample or upload), location (presets or coordinates), link,
 * and the picture chooser of pic_* menu buttons. Each calls back with what the user chose; the
 * phone sends it (as a message, or with the menu tap that opened the sheet).
 */
import { useId, useState } from "react";
import { fileToBase64 } from "../api/client.js";
import { useT } from "../i18n/index.js";
import { attempt } from "../ui/kit.js";
import { PLACES, type Place, toneWav, type Uploaded, uploadMedia } from "./media.js";

/** A text field of a sheet, labelled by its placeholder. */
export function SheetInput(p: { label: string; value: string; onChange(v: string): void }) {
  return (
    <input
      className="weui-input sheet-input"
      aria-label={p.label}
      placeholder={p.label}
      value={p.value}
      onChange={(e) => p.onChange(e.target.value)}
    />
  );
}

export function ImageSheet({ onSend }: { onSend(u: Uploaded): void }) {
  const t = useT();
  const id = useId();
  return (
    <div className="sheet">
      <label htmlFor={id} className="weui-btn weui-btn_default weui-btn_mini">
        {t("chooseImage")}
      </label>
      <input
        id={id}
        className="file-input"
        type="file"
        accept="image/png,image/jpeg,image/gif,image/webp"
        onChange={async (e) => {
          const f = e.target.files?.[0];
          if (!f) return;
          const u = await attempt(() => uploadMedia(f));
          if (u) onSend(u);
        }}
      />
    </div>
  );
}

export function VoiceSheet({ onSend }: { onSend(u: Uploaded, recognition: string): void }) {
  const t = useT();
  const id = useId();
  const [recognition, setRecognition] = useState("");
  return (
    <div className="sheet">
      <button
        type="button"
        className="weui-btn weui-btn_primary weui-btn_mini"
        onClick={async () => {
          const u = await attempt(() => uploadMedia(toneWav(), "audio/wav"));
          if (u) onSend(u, recognition);
        }}
      >
        {t("sendVoiceSample")}
      </button>
      <label htmlFor={id} className="weui-btn weui-btn_default weui-btn_mini">
        {t("uploadVoice")}
      </label>
      <input
        id={id}
        className="file-input"
        type="file"
        accept="audio/*"
        onChange={async (e) => {
          const f = e.target.files?.[0];
          if (!f) return;
          const u = await attempt(() => uploadMedia(f, f.type || "audio/mpeg"));
          if (u) onSend(u, recognition);
        }}
      />
      <SheetInput label={t("voiceRecognition")} value={recognition} onChange={setRecognition} />
    </div>
  );
}

export function LocationSheet({ onSend }: { onSend(p: Place, scale: number): void }) {
  const t = useT();
  const [lat, setLat] = useState("31.2304");
  const [lng, setLng] = useState("121.4737");
  const [label, setLabel] = useState("");
  const custom = () => {
    const latitude = Number(lat);
    const longitude = Number(lng);
    if (
      !Number.isFinite(latitude) ||
      Math.abs(latitude) > 90 ||
      !Number.isFinite(longitude) ||
      Math.abs(longitude) > 180
    )
      return;
    onSend({ label: label || `${latitude}, ${longitude}`, latitude, longitude }, 15);
  };
  return (
    <div className="sheet">
      <ul className="place-list">
        {PLACES.map((p) => (
          <li key={p.label}>
            <button type="button" className="link-button" onClick={() => onSend(p, 15)}>
              📍 {p.label}
            </button>
          </li>
        ))}
      </ul>
      <div className="sheet-row">
        <SheetInput label={t("latitude")} value={lat} onChange={setLat} />
        <SheetInput label={t("longitude")} value={lng} onChange={setLng} />
      </div>
      <SheetInput label={t("placeLabel")} value={label} onChange={setLabel} />
      <button type="button" className="weui-btn weui-btn_primary weui-btn_mini" onClick={custom}>
        {t("sendLocation")}
      </button>
    </div>
  );
}

export function LinkSheet({
  onSend,
}: {
  onSend(l: { title: string; description: string; url: string }): void;
}) {
  const t = useT();
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [url, setUrl] = useState("https://");
  return (
    <form
      className="sheet"
      onSubmit={(e) => {
        e.preventDefault();
        if (title && url) onSend({ title, description, url });
      }}
    >
      <SheetInput label={t("linkTitle")} value={title} onChange={setTitle} />
      <SheetInput label={t("linkDescription")} value={description} onChange={setDescription} />
      <SheetInput label="URL" value={url} onChange={setUrl} />
      <button type="submit" className="weui-btn weui-btn_primary weui-btn_mini">
        {t("sendLink")}
      </button>
    </form>
  );
}

/** pic_* menu buttons: pictures to send with the tap (none chosen = one the platform makes up). */
export function PicturesSheet({ onSend }: { onSend(pictures: { data: string }[]): void }) {
  const t = useT();
  const id = useId();
  return (
    <div className="sheet">
      <label htmlFor={id} className="weui-btn weui-btn_default weui-btn_mini">
        {t("choosePictures")}
      </label>
      <input
        id={id}
        className="file-input"
        type="file"
        accept="image/*"
        multiple
        onChange={async (e) => {
          const files = [...(e.target.files ?? [])].slice(0, 9);
          if (files.length === 0) return;
          onSend(await Promise.all(files.map(async (f) => ({ data: await fileToBase64(f) }))));
        }}
      />
      <button type="button" className="weui-btn weui-btn_primary weui-btn_mini" onClick={() => onSend([])}>
        {t("sendAnyPicture")}
      </button>
    </div>
  );
}
