/** What the echo bot answers: one route per message or event it cares about, first match wins. */
import { type MessageHandler, reply } from "@mpstack/sdk";
import { MENU_KEYS } from "./menu.js";

export interface RouteOptions {
  /** Account name used in greetings. */
  name: string;
  /** How long the "slow" keyword makes the bot think (shows the time budget's fallback). */
  slowReplyMs: number;
}

export const HELP =
  'Send anything and I echo it. Try "news" for an article, "slow" for a late answer, or the menu below.';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The article of the "news" keyword and the News button (one article: the rule for replies to a message). */
export function demoArticle(name: string) {
  return {
    title: `${name}: today's news`,
    description: "Built with the mpstack SDK: typed messages, a router and reply builders.",
    picUrl: "https://mpstack.example.com/news.png",
    url: "https://mpstack.example.com/news",
  };
}

export function registerRoutes(h: MessageHandler, options: RouteOptions): void {
  // ---- text -----------------------------------------------------------------------------------------
  h.text(/^\s*news\s*$/i, () => reply.news([demoArticle(options.name)]));
  h.text(/^\s*(help|\?)\s*$/i, () => HELP);
  // Longer than the handler's budget: the user gets "success" now and the answer as a
  // customer-service message once it is ready (accounts with that permission).
  h.text(/^\s*slow\s*$/i, async () => {
    await sleep(options.slowReplyMs);
    return "Sorry for the wait: this answer came as a customer-service message.";
  });
  h.on("text", (m) => m.Content);

  // ---- other messages ----------------------------------------------------------------------------------
  h.on("image", (m) => `Nice picture! (media ${m.MediaId})`);
  h.on("voice", (m) =>
    m.Recognition ? `You said (voice): ${m.Recognition}` : `Got your voice message (${m.Format}).`,
  );
  h.on(["video", "shortvideo"], (m) => `Got your ${m.kind === "video" ? "video" : "short video"}.`);
  h.on("location", (m) => `You are at ${m.Label || "an unnamed place"} (${m.Location_X}, ${m.Location_Y}).`);
  h.on("link", (m) => `Thanks for the link: ${m.Title}`);

  // ---- follows and QR codes --------------------------------------------------------------------------
  // Before the plain subscribe route: a follow through a parametric code carries qrscene_<scene>.
  h.scan(undefined, (m) =>
    m.Event === "SCAN"
      ? `Welcome back! You scanned the code "${m.EventKey}".`
      : `Welcome to ${options.name}! You came through the code "${(m.EventKey ?? "").slice("qrscene_".length)}".`,
  );
  h.event("subscribe", () => `Welcome to ${options.name}! ${HELP}`);

  // ---- menu --------------------------------------------------------------------------------------------
  h.click(MENU_KEYS.hello, () => `Hello from ${options.name}!`);
  h.click(MENU_KEYS.news, () => reply.news([demoArticle(options.name)]));
  h.click(/.*/, (m) => `You tapped the button "${m.EventKey}".`);
  h.event("scancode_waitmsg", (m) => `You scanned: ${m.ScanCodeInfo.ScanResult}`);
  h.event("location_select", (m) => `You picked ${m.SendLocationInfo.Poiname || m.SendLocationInfo.Label}.`);

  // Everything else (unsubscribe, VIEW, LOCATION reports, job results, …) is acknowledged with "success".
  h.default(() => undefined);
}
