/*
 * mpstack's WeixinJSBridge, part 3 of 4: the phone's local files. Chosen images and recordings
 * stay in the page as Blobs under WeChat-shaped local ids (wxlocalresource://…); uploads send their
 * bytes to the platform; an <img> whose src is a local id shows the Blob (WeChat's iOS client does
 * the same through getLocalImgData); recordings play with an <audio> element when the browser can.
 */
M.addLocal = (kind, blob, extra) => {
  M.seq += 1;
  const id = `wxlocalresource://${kind}id${Date.now().toString(36)}${M.seq}`;
  M.local[id] = Object.assign({ kind, blob, url: URL.createObjectURL(blob) }, extra || {});
  return id;
};

M.dataUrl = (blob) =>
  new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });

/** What a call sends besides its arguments: the bytes of an upload, a recording's transcript. */
M.attach = async (name, args, body) => {
  const res = M.local[args.localId];
  if (!res) return;
  if (name === "uploadImage" || name === "uploadVoice") {
    const url = await M.dataUrl(res.blob);
    body.d = { data: url.slice(url.indexOf(",") + 1), type: res.blob.type, name: res.name || "local" };
  }
  if (name === "translateVoice") body.x = { transcript: res.transcript || "" };
};

/** An <img src="wxlocalresource://…"> fails to load in a browser: show the local Blob instead. */
document.addEventListener(
  "error",
  (e) => {
    const t = e.target;
    const src = t && typeof t.getAttribute === "function" ? t.getAttribute("src") || "" : "";
    const res = M.local[src];
    if (!res || !/^(IMG|VIDEO|AUDIO|SOURCE)$/.test(t.tagName)) return;
    e.stopImmediatePropagation();
    t.src = res.url;
  },
  true,
);

M.fetchBlob = async (path) => {
  const res = await fetch(new URL(path, BOOT.api).href, { credentials: "omit" });
  if (!res.ok) throw new Error(`cannot load ${path}`);
  return res.blob();
};

/** Recording: a sample clip by default; the user may pick a file and say what it says. */
M.recorder = {
  current: null,
  start() {
    if (this.current) return false;
    const rec = {
      source: null,
      name: "sample.amr",
      transcript: BOOT.sampleTranscript,
      close: null,
      timer: null,
    };
    this.current = rec;
    rec.timer = setTimeout(async () => {
      const localId = await this.stop();
      if (localId) M.fire("onVoiceRecordEnd", { localId, err_msg: "onVoiceRecordEnd:ok" });
    }, 60_000);
    rec.close = M.ui.bar(() => {
      const input = M.ui.el("input", { type: "text", "data-mpstack": "transcript", value: rec.transcript });
      input.addEventListener("input", () => {
        rec.transcript = input.value;
      });
      const file = M.ui.el("input", { type: "file", accept: "audio/*", "data-mpstack": "voice-file" });
      file.addEventListener("change", () => {
        if (file.files?.[0]) {
          rec.source = file.files[0];
          rec.name = file.files[0].name;
        }
      });
      return [
        "● 录音中 · Recording — 示例语音或文件 · sample clip or a file: ",
        file,
        " 说的内容 · said: ",
        input,
      ];
    });
    return true;
  },
  async stop() {
    const rec = this.current;
    if (!rec) return null;
    this.current = null;
    clearTimeout(rec.timer);
    rec.close();
    const blob = rec.source || (await M.fetchBlob("/_mpstack/jsbridge/samples/voice.amr"));
    return M.addLocal("voice", blob, { name: rec.name, transcript: rec.transcript });
  },
};

/** Playing a local recording: <audio> for what the browser plays, a timer of its length otherwise. */
M.player = {
  current: null,
  play(localId) {
    const res = M.local[localId];
    if (res?.kind !== "voice") return false;
    this.stop();
    const audio = new Audio(res.url);
    const ended = () => {
      if (this.current?.localId !== localId) return;
      this.current = null;
      M.fire("onVoicePlayEnd", { localId, err_msg: "onVoicePlayEnd:ok" });
    };
    audio.addEventListener("ended", ended);
    const seconds = /amr/.test(res.blob.type) || res.name === "sample.amr" ? BOOT.sampleSeconds : 0;
    const timer = seconds ? setTimeout(ended, seconds * 1000) : null;
    if (!seconds) audio.play().catch(() => setTimeout(ended, 1000));
    this.current = { localId, audio, timer };
    return true;
  },
  pause(localId) {
    if (this.current?.localId !== localId) return false;
    this.current.audio.pause();
    return true;
  },
  stop() {
    if (!this.current) return false;
    this.current.audio.pause();
    clearTimeout(this.current.timer);
    this.current = null;
    return true;
  },
};
