/**
 * The in-app browser: a link a user taps opens in a new tab as that simulated user — through the
 * platform's one-time identity link (`POST /_mpstack/users/{user}/browse-link`), so OAuth and
 * JS-SDK pages know who is browsing. If the link cannot be made, the URL opens plainly.
 */
import { post, seg } from "../api/client.js";

export async function openInAppBrowser(user: string, url: string): Promise<void> {
  // Open the tab first (inside the click, so it is not blocked), then point it at the link.
  const tab = window.open("about:blank", "_blank");
  let target = url;
  try {
    const r = await post<{ link: string }>(`/users/${seg(user)}/browse-link`, { next: url });
    target = r.link;
  } catch {
    // plain
  }
  if (tab) {
    tab.opener = null;
    tab.location.href = target;
  } else window.open(target, "_blank", "noopener");
}
