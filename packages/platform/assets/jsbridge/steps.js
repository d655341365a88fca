/*
 * mpstack's WeixinJSBridge, part 4 of 4: the steps the platform asks the bridge to perform before
 * a page gets its answer (pick images, allow location, scan, record, play, show, a platform page in
 * an overlay such as the pay sheet), what they add to the answer (localIds, localData, …), and the
 * bridge's start: the menu, then WeixinJSBridgeReady.
 */
const { el, ask } = M.ui;
const failOf = (name, why) => ({ err_msg: `${name}:fail, ${why}` });

async function pickImages(d) {
  const chosen = [];
  const result = await ask("选择图片 · Choose images", (done) => {
    const thumbs = el("div", { class: "thumbs" });
    d.samples.forEach((path, i) => {
      const img = el("img", {
        src: new URL(path, BOOT.api).href,
        "data-mpstack": `sample-${i}`,
        alt: `sample ${i}`,
      });
      img.addEventListener("click", () => {
        const at = chosen.indexOf(path);
        if (at >= 0) chosen.splice(at, 1);
        else if (chosen.length < d.count) chosen.push(path);
        img.classList.toggle("on", chosen.includes(path));
      });
      thumbs.append(img);
    });
    const file = el("input", { type: "file", accept: "image/*", "data-mpstack": "image-file" });
    if (d.count > 1) file.setAttribute("multiple", "");
    file.addEventListener("change", () => done({ files: [...(file.files || [])].slice(0, d.count) }));
    return [
      el("div", { class: "muted" }, `最多 ${d.count} 张 · Up to ${d.count}; ${d.sources.join(", ")}`),
      thumbs,
      file,
      el(
        "button",
        { class: "item primary", "data-mpstack": "images-ok", onclick: () => done({ samples: chosen }) },
        "完成 · Done",
      ),
      el(
        "button",
        { class: "item", "data-mpstack": "images-cancel", onclick: () => done(null) },
        "取消 · Cancel",
      ),
    ];
  });
  if (!result) return { choice: { count: 0 } };
  const localIds = [];
  for (const f of result.files || []) localIds.push(M.addLocal("image", f, { name: f.name }));
  for (const path of result.samples || []) {
    const blob = await M.fetchBlob(path);
    localIds.push(M.addLocal("image", blob, { name: path.split("/").pop() }));
  }
  return { choice: { count: localIds.length }, merge: { localIds } };
}

async function scan(d) {
  const choice = await ask("扫一扫 · Scan", (done) => {
    const codes = d.codes.map((c, i) =>
      el(
        "button",
        { class: "item", "data-mpstack": `code-${i}`, onclick: () => done({ text: c.url }) },
        `▣ ${c.label}`,
      ),
    );
    const text = el("input", {
      type: "text",
      placeholder: "二维码内容 · What the code says",
      "data-mpstack": "scan-text",
    });
    const bar = el("input", {
      type: "text",
      placeholder: "条码 · Bar code digits",
      "data-mpstack": "scan-barcode",
    });
    return [
      ...codes,
      text,
      el(
        "button",
        { class: "item primary", "data-mpstack": "scan-text-ok", onclick: () => done({ text: text.value }) },
        "扫描 · Scan",
      ),
      bar,
      el(
        "button",
        { class: "item", "data-mpstack": "scan-barcode-ok", onclick: () => done({ barcode: bar.value }) },
        "扫条码 · Scan bar code",
      ),
      el(
        "button",
        { class: "item", "data-mpstack": "scan-cancel", onclick: () => done(null) },
        "取消 · Cancel",
      ),
    ];
  });
  return { choice };
}

async function allowLocation(d) {
  if (M.locationAllowed) return { choice: { allow: true } };
  const allow = await ask(
    `「${d.account}」想获取你的地理位置 · wants your location`,
    (done) => [
      el(
        "button",
        { class: "item primary", "data-mpstack": "location-allow", onclick: () => done(true) },
        "允许 · Allow",
      ),
      el(
        "button",
        { class: "item", "data-mpstack": "location-deny", onclick: () => done(false) },
        "取消 · Cancel",
      ),
    ],
    true,
  );
  if (allow) M.locationAllowed = true;
  return { choice: { allow } };
}

/**
 * A platform page over the page (the pay sheet): resolves with the object it posts to its parent
 * (its `type` is d.message; only the platform's origin and this frame are believed), or null when
 * the user closes the overlay. The platform decides the answer; the post only says "done".
 */
function platformPage(d) {
  const origin = new URL(BOOT.api).origin;
  let onMessage = null;
  const stop = () => window.removeEventListener("message", onMessage);
  return ask(d.title || "", (done) => {
    const frame = el("iframe", {
      class: "frame",
      src: new URL(d.path, BOOT.api).href,
      "data-mpstack": "page-frame",
    });
    onMessage = (ev) => {
      if (ev.source !== frame.contentWindow || ev.origin !== origin) return;
      if (!ev.data || typeof ev.data !== "object" || ev.data.type !== d.message) return;
      stop();
      done(ev.data);
    };
    window.addEventListener("message", onMessage);
    const close = () => {
      stop();
      done(null);
    };
    return [
      frame,
      el("button", { class: "item", "data-mpstack": "page-close", onclick: close }, "关闭 · Close"),
    ];
  });
}

/** Pick some of the options the platform lists (chooseCard's cards): the chosen values, or null. */
async function choose(d) {
  const chosen = new Set();
  const picked = await ask(d.title, (done) => [
    ...d.options.map((o, i) => {
      const item = el("button", { class: "item", "data-mpstack": `choice-${i}` }, o.label);
      item.addEventListener("click", () => {
        if (chosen.has(o.value)) chosen.delete(o.value);
        else if (d.multiple || chosen.size === 0) chosen.add(o.value);
        item.classList.toggle("on", chosen.has(o.value));
      });
      return item;
    }),
    el(
      "button",
      { class: "item primary", "data-mpstack": "choice-ok", onclick: () => done([...chosen]) },
      "确定 · OK",
    ),
    el(
      "button",
      { class: "item", "data-mpstack": "choice-cancel", onclick: () => done(null) },
      "取消 · Cancel",
    ),
  ]);
  return { choice: picked };
}

function showInfo(title, lines) {
  M.ui.sheet(title, (close) => [
    ...lines.map((l) => el("div", { class: "muted" }, l)),
    el("button", { class: "item", "data-mpstack": "info-close", onclick: close }, "关闭 · Close"),
  ]);
}

M.perform = async (d, name, args) => {
  switch (d.kind) {
    case "identity":
      M.ui.identityBanner(d.chooser);
      return {};
    case "pickImage":
      return pickImages(d);
    case "scan":
      return scan(d);
    case "location":
      return allowLocation(d);
    case "download": {
      const bytes = Uint8Array.from(atob(d.data), (c) => c.charCodeAt(0));
      return { merge: { localId: M.addLocal(d.media, new Blob([bytes], { type: d.contentType })) } };
    }
    case "localImgData": {
      const res = M.local[args.localId];
      if (!res) return { override: failOf(name, "invalid localId") };
      return { merge: { localData: await M.dataUrl(res.blob) } };
    }
    case "recordStart":
      return M.recorder.start() ? {} : { override: failOf(name, "already recording") };
    case "recordStop": {
      const localId = await M.recorder.stop();
      return localId ? { merge: { localId } } : { override: failOf(name, "not recording") };
    }
    case "voice": {
      const done =
        d.action === "play"
          ? M.player.play(args.localId)
          : d.action === "pause"
            ? M.player.pause(args.localId)
            : M.player.stop();
      return done || d.action === "stop" ? {} : { override: failOf(name, "invalid localId") };
    }
    case "preview":
      M.ui.sheet("预览 · Preview", (close) => [
        el(
          "div",
          { class: "preview" },
          ...d.urls.map((u) => el("img", { src: u, "data-mpstack": "preview-image" })),
        ),
        el("button", { class: "item", "data-mpstack": "preview-close", onclick: close }, "关闭 · Close"),
      ]);
      return {};
    case "openLocation":
      showInfo(d.name || "位置 · Location", [d.address, `${d.latitude}, ${d.longitude} · scale ${d.scale}`]);
      return {};
    case "menu":
      M.ui.menu(d);
      return {};
    case "optionMenu":
      M.ui.optionMenu(d.visible);
      return {};
    case "close":
      M.ui.whenBody(() =>
        M.ui
          .shadow()
          .append(
            el(
              "div",
              { class: "scrim center", "data-mpstack": "closed" },
              el("div", { class: "sheet" }, "页面已关闭 · The page was closed"),
            ),
          ),
      );
      setTimeout(() => window.close(), 0);
      return {};
    case "navigate":
      setTimeout(() => location.assign(d.url), 0);
      return {};
    case "notice":
      showInfo("扫描结果 · Scan result", [d.text]);
      return {};
    case "info":
      showInfo(d.title, d.lines);
      return {};
    case "page":
      return { choice: await platformPage(d) };
    case "choose":
      return choose(d);
    default:
      return {};
  }
};

/**
 * The native answer in the shape the client's platform gives it (jweixin parses these by user
 * agent): Android sends checkResult and localIds as JSON strings, iOS wraps scanQRCode's result.
 */
M.native = (name, result) => {
  const ua = navigator.userAgent.toLowerCase();
  const out = Object.assign({}, result);
  if (ua.includes("android")) {
    if (out.checkResult && typeof out.checkResult === "object")
      out.checkResult = JSON.stringify(out.checkResult);
    if (Array.isArray(out.localIds)) out.localIds = JSON.stringify(out.localIds);
  } else if (/iphone|ipad/.test(ua) && name === "scanQRCode" && typeof out.resultStr === "string") {
    out.resultStr = JSON.stringify({ scan_code: { scan_type: "qrcode", scan_result: out.resultStr } });
  }
  return out;
};

/** Share content a page set, for the simulated menu's share items. */
M.remember = (name, args, result) => {
  if (!/:ok$/.test(String(result.err_msg))) return;
  const content = {
    title: args.title,
    desc: args.desc,
    link: args.link,
    imgUrl: args.imgUrl || args.img_url,
  };
  if (name === "updateAppMessageShareData") M.shares.appMessage = M.shares.qq = content;
  if (name === "updateTimelineShareData") M.shares.timeline = M.shares.qzone = content;
};

M.ui.start();
// Pages wait for this event when the bridge is not there yet; jweixin checks for it too.
const ready = () => document.dispatchEvent(new Event("WeixinJSBridgeReady"));
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready, { once: true });
else setTimeout(ready, 0);
