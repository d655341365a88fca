/**
 * Cards and coupons (微信卡券, spec/applied-features.md §3): card definitions and their review, QR
 * distribution (scanned through the QR module's foreign-code hook), codes and redemption, the card
 * events, the card api_ticket (kept in the JS-SDK module's ticket store, which getticket fills), and
 * the JS-SDK card calls: `wx.addCard` / `chooseCard` / `openCard` answered on the bridge (bridge.ts).
 */
import { defineModule } from "../../module.js";
import { getAccount } from "../accounts/index.js";
import { QR_URL_PREFIX } from "../qrcode/index.js";
import { implementCardApi } from "./api.js";
import { cardBridgeHandlers } from "./bridge.js";
import { type CardsContext, claimCard, pushReview } from "./claim.js";
import {
  type AddCardItem,
  addCard,
  type CardJsResult,
  type ChooseCardParams,
  chooseCard,
  openCard,
} from "./jsapi.js";
import { cardMigrations } from "./migrations.js";
import { addCardRoutes } from "./routes.js";
import { dueReviews, issueApiTicket, setCardStatus, validApiTickets } from "./store.js";

export interface CardServices {
  /** `wx.addCard({ cardList })` of a page the user browses, for the account of the page's wx.config. */
  addCard(userId: string, appid: string, cardList: AddCardItem[]): Promise<CardJsResult>;
  /** `wx.chooseCard(params)`: `cardList` is a JSON string of `[{card_id, encrypt_code}]`. */
  chooseCard(userId: string, appid: string, params: ChooseCardParams): Promise<CardJsResult>;
  /** `wx.openCard({ cardList })`. */
  openCard(
    userId: string,
    appid: string,
    cardList: Array<{ cardId: string; code: string }>,
  ): Promise<CardJsResult>;
  /** A card api_ticket (`ticket/getticket?type=wx_card`): 7200 s, every unexpired one verifies. */
  issueApiTicket(appid: string): Promise<{ ticket: string; expires_in: number }>;
  validApiTickets(appid: string): Promise<string[]>;
}

declare module "../../module.js" {
  interface ModuleServices {
    cards: CardServices;
  }
}

interface QrCard {
  card_id: string;
  code?: string;
  openid?: string;
  outer_str?: string;
  is_unique_code?: boolean;
}

function registerCardQrcodes(ctx: CardsContext): void {
  ctx.services.qrcode.addForeignCodes({
    async find(by) {
      let q = ctx.db.selectFrom("card_qrcodes").selectAll();
      if (by.ticket !== undefined) q = q.where("ticket", "=", by.ticket);
      else if (by.url?.startsWith(QR_URL_PREFIX))
        q = q.where("url_token", "=", by.url.slice(QR_URL_PREFIX.length));
      else return undefined;
      const r = await q.executeTakeFirst();
      return (
        r && {
          appid: r.appid,
          ticket: r.ticket,
          url: QR_URL_PREFIX + r.url_token,
          expireAt: Number(r.expire_at),
        }
      );
    },
    async scan(userId, code) {
      const row = await ctx.db
        .selectFrom("card_qrcodes")
        .selectAll()
        .where("ticket", "=", code.ticket)
        .executeTakeFirstOrThrow();
      const account = await getAccount(ctx.db, code.appid);
      if (!account) throw new Error(`account ${code.appid} vanished`);
      const cards = JSON.parse(row.cards) as QrCard[];
      const unique = cards.some((c) => c.is_unique_code);
      if (unique && row.used === 1)
        return { event: null, error: { errcode: 40099, errmsg: "this unique QR code was used" } };
      const claimed = [];
      for (const c of cards) {
        try {
          const got = await claimCard(ctx, account, userId, {
            cardId: c.card_id,
            ...(c.code !== undefined ? { code: c.code } : {}),
            ...(c.openid !== undefined ? { openid: c.openid } : {}),
            ...(c.outer_str !== undefined ? { outerStr: c.outer_str } : {}),
          });
          claimed.push({ cardId: got.card_id, code: got.code });
        } catch (err) {
          const e = err as { errcode?: number; errmsg?: string };
          if (e.errcode === undefined) throw err;
          return { event: null, claimed, error: { errcode: e.errcode, errmsg: e.errmsg } };
        }
      }
      if (unique)
        await ctx.db.updateTable("card_qrcodes").set({ used: 1 }).where("ticket", "=", row.ticket).execute();
      return { event: "user_get_card", claimed };
    },
  });
}

export const cardsModule = defineModule({
  name: "cards",
  requires: ["accounts", "simulated-users", "push", "qrcode", "jssdk"],
  migrations: cardMigrations,
  setup(ctx): CardServices {
    implementCardApi(ctx);
    addCardRoutes(ctx);
    registerCardQrcodes(ctx);
    // Automatic review: cards whose review time has come pass and card_pass_check is pushed.
    let busy = false;
    const timer = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        for (const card of await dueReviews(ctx.db, ctx.clock.now())) {
          await setCardStatus(ctx.db, card.card_id, "CARD_STATUS_VERIFY_OK");
          await pushReview(ctx, card, true);
        }
      } catch (err) {
        ctx.log.error({ err: String(err) }, "card review failed");
      } finally {
        busy = false;
      }
    }, 500);
    timer.unref();
    ctx.onClose(() => clearInterval(timer));
    const services: CardServices = {
      addCard: (userId, appid, list) => addCard(ctx, userId, appid, list),
      chooseCard: (userId, appid, params) => chooseCard(ctx, userId, appid, params),
      openCard: (userId, appid, list) => openCard(ctx, userId, appid, list),
      issueApiTicket: (appid) => issueApiTicket(ctx, appid),
      validApiTickets: (appid) => validApiTickets(ctx.db, appid, ctx.clock.now()),
    };
    for (const [name, handler] of Object.entries(cardBridgeHandlers(services)))
      ctx.services.jssdk.registerApi(name, handler);
    return services;
  },
});
export { pushAccountEvent } from "./claim.js";
export { decryptCode, encryptCode } from "./validate.js";
