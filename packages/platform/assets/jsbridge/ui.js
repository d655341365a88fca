/*
 * mpstack's WeixinJSBridge, part 2 of 4: the simulated client's chrome, drawn in a shadow root so
 * a page's styles never reach it: the top-right "···" menu (sharing, with the items the page hid
 * left out), sheets and dialogs for the steps that ask the user, toasts, and a banner when nobody
 * is browsing. Every control carries a data-mpstack name, for tests.
 */
M.ui = (() => {
  const STYLE = `
:host{all:initial}
.menu-btn{position:fixed;top:8px;right:8px;z-index:2147483646;border:0;border-radius:14px;background:rgba(0,0,0,.55);color:#fff;font:bold 14px sans-serif;padding:4px 10px;cursor:pointer}
.scrim{position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.45);display:flex;align-items:flex-end;justify-content:center;font:15px/1.5 -apple-system,"PingFang SC",sans-serif;color:#191919}
.scrim.center{align-items:center}
.sheet{background:#f7f7f7;width:100%;max-width:480px;border-radius:12px 12px 0 0;padding:12px;box-sizing:border-box;max-height:85vh;overflow:auto}
.center .sheet{border-radius:12px;width:86%}
.title{font-weight:600;margin:4px 4px 10px}
.muted{color:#888;font-size:13px}
button.item{display:block;width:100%;border:0;background:#fff;padding:12px;margin:6px 0;border-radius:8px;font-size:15px;cursor:pointer;text-align:center;color:#191919}
button.primary{background:#07c160;color:#fff}
.thumbs{display:flex;gap:8px;flex-wrap:wrap;margin:8px 0}
.thumbs img{width:88px;height:66px;object-fit:cover;border-radius:6px;border:3px solid transparent;cursor:pointer}
.thumbs img.on{border-color:#07c160}
input[type=text]{width:100%;box-sizing:border-box;padding:10px;border:1px solid #ddd;border-radius:8px;font-size:15px;margin:6px 0}
.toast{position:fixed;left:50%;top:40%;transform:translateX(-50%);z-index:2147483647;background:rgba(0,0,0,.75);color:#fff;padding:10px 16px;border-radius:8px;font:14px sans-serif;max-width:80%}
.banner{position:fixed;left:0;right:0;bottom:0;z-index:2147483646;background:#fff3cd;color:#5c4400;padding:8px 12px;font:13px sans-serif}
.banner a{color:#576b95}
.bar{position:fixed;left:0;right:0;top:0;z-index:2147483646;background:#07c160;color:#fff;padding:6px 12px;font:13px sans-serif}
.bar input[type=text]{width:auto;margin:0 6px;padding:4px;font-size:13px}
.preview img{max-width:100%;display:block;margin:0 auto 8px}
.frame{display:block;width:100%;height:70vh;border:0;border-radius:8px;background:#fff}
`;
  let root = null;
  const hidden = new Set();
  let optionMenu = true;
  let menuButton = null;

  const whenBody = (fn) => {
    if (document.body) fn();
    else document.addEventListener("DOMContentLoaded", fn, { once: true });
  };

  function shadow() {
    if (root) return root;
    const host = document.createElement("div");
    host.id = "mpstack-bridge";
    document.documentElement.appendChild(host);
    root = host.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = STYLE;
    root.appendChild(style);
    return root;
  }

  /** An element: el("button", { class: "item", "data-mpstack": "x" }, "text", child…). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "onclick") node.addEventListener("click", v);
      else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }

  /** A bottom sheet (or a centred dialog); build(close) returns its content. */
  function sheet(title, build, centred) {
    const scrim = el("div", { class: centred ? "scrim center" : "scrim" });
    const close = () => scrim.remove();
    const box = el("div", { class: "sheet" }, el("div", { class: "title" }, title));
    for (const child of build(close)) box.append(child);
    scrim.append(box);
    shadow().append(scrim);
    return close;
  }

  /** A bar along the top that leaves the page usable (the recording indicator); answers close(). */
  function bar(build) {
    const node = el("div", { class: "bar" });
    for (const child of build()) node.append(child);
    shadow().append(node);
    return () => node.remove();
  }

  /** Resolves with what the user picks; `build(done)` wires the buttons to done(value). */
  const ask = (title, build, centred) =>
    new Promise((resolve) => {
      let closeSheet = () => {};
      const done = (value) => {
        closeSheet();
        resolve(value);
      };
      closeSheet = sheet(title, () => build(done), centred);
    });

  function toast(text, ms) {
    const t = el("div", { class: "toast", "data-mpstack": "toast" }, text);
    shadow().append(t);
    setTimeout(() => t.remove(), ms || 1800);
  }

  const SHARE_ITEMS = [
    ["appMessage", "menuItem:share:appMessage", "menu:share:appmessage", "发送给朋友 · Send to a friend"],
    ["timeline", "menuItem:share:timeline", "menu:share:timeline", "分享到朋友圈 · Share to Moments"],
    ["qq", "menuItem:share:qq", "menu:share:qq", "分享到QQ · Share to QQ"],
    ["weibo", "menuItem:share:weiboApp", "menu:share:weiboApp", "分享到微博 · Share to Weibo"],
    ["qzone", "menuItem:share:QZone", "menu:share:QZone", "分享到QQ空间 · Share to QZone"],
  ];

  /** The user taps a share item: a page's onMenuShare* hook gets it, else the content it set. */
  function share(target) {
    const item = SHARE_ITEMS.find((i) => i[0] === target);
    if (!item || hidden.has(item[1])) return false;
    if (M.fire(item[2], target === "appMessage" ? { scene: "friend" } : {})) return true;
    const content = M.shares[target];
    toast(`已分享 · Shared: ${content?.title ? content.title : document.title}`);
    return true;
  }

  function openMenu() {
    sheet("", (close) => {
      const items = SHARE_ITEMS.filter((i) => !hidden.has(i[1])).map((i) =>
        el(
          "button",
          {
            class: "item",
            "data-mpstack": `share-${i[0]}`,
            onclick: () => {
              close();
              share(i[0]);
            },
          },
          i[3],
        ),
      );
      if (!hidden.has("menuItem:copyUrl"))
        items.push(
          el(
            "button",
            {
              class: "item",
              "data-mpstack": "copy-url",
              onclick: () => {
                close();
                toast(location.href.split("#")[0]);
              },
            },
            "复制链接 · Copy link",
          ),
        );
      items.push(
        el(
          "button",
          { class: "item", "data-mpstack": "refresh", onclick: () => location.reload() },
          "刷新 · Refresh",
        ),
      );
      items.push(
        el("button", { class: "item", "data-mpstack": "menu-cancel", onclick: close }, "取消 · Cancel"),
      );
      return items;
    });
  }

  function drawMenuButton() {
    if (!BOOT.overlay) return;
    whenBody(() => {
      if (!menuButton) {
        menuButton = el(
          "button",
          { class: "menu-btn", "data-mpstack": "menu", title: "mpstack", onclick: openMenu },
          "···",
        );
        shadow().append(menuButton);
      }
      menuButton.style.display = optionMenu ? "" : "none";
    });
  }

  function identityBanner(chooser) {
    whenBody(() => {
      if (shadow().querySelector(".banner")) return;
      const link = el(
        "a",
        { href: `${chooser}${encodeURIComponent(location.href)}`, "data-mpstack": "choose-user" },
        "选择 · Choose",
      );
      shadow().append(
        el(
          "div",
          { class: "banner", "data-mpstack": "no-user" },
          "mpstack: 没有模拟用户在浏览 · No simulated user is browsing — ",
          link,
        ),
      );
    });
  }

  return {
    el,
    sheet,
    bar,
    ask,
    toast,
    share,
    identityBanner,
    shadow,
    whenBody,
    menu(change) {
      for (const i of change.hide || []) hidden.add(i);
      for (const i of change.show || []) hidden.delete(i);
    },
    optionMenu(visible) {
      optionMenu = visible;
      drawMenuButton();
    },
    menuState: () => ({ optionMenu, hidden: [...hidden] }),
    start() {
      drawMenuButton();
      if (!BOOT.user) identityBanner(BOOT.chooser);
    },
  };
})();
