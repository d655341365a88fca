/**
 * JS-SDK (spec/jssdk.md): `ticket/getticket`, and the simulated WeChat client's native side — a
 * `WeixinJSBridge` any browser loads (`/_mpstack/jsbridge.js`, or `/open/js/jweixin-1.6.0.js` with
 * WeChat's own jweixin after it), whose every call the platform answers: wx.config's signature,
 * domain and jsApiList checks, the permission rows, and the interfaces of the seed's twelve
 * JS-SDK rows (sharing recorded, images and voice uploaded as media, location from the location
 * module, QR scans through the qrcode module). Other modules add APIs with `registerApi`: pay
 * (`getBrandWCPayRequest` / `chooseWXPay`, its sheet shown over the page), cards (`batchAddCard`,
 * `chooseCard`, `batchViewCard`) and shop (`openProductViewWithPid`); on a platform without one of
 * them the API answers `<api>:fail`. The tickets (`jsapi`, and the card `wx_card` the cards module
 * checks its signatures against) are issued and kept here only.
 */
import { defineModule } from "../../module.js";
import type { BridgeHandler } from "./apis.js";
import { addBridgeRoutes } from "./bridge-routes.js";
import { BridgeDispatcher } from "./dispatch.js";
import { deviceHandlers } from "./handlers/device.js";
import { mediaHandlers } from "./handlers/media.js";
import { scanHandlers } from "./handlers/scan.js";
import { shareHandlers } from "./handlers/share.js";
import type { Toolkit } from "./handlers/toolkit.js";
import { uiHandlers } from "./handlers/ui.js";
import { materialsMediaStore } from "./media-store.js";
import { jssdkMigrations } from "./migrations.js";
import { addJssdkRoutes } from "./routes.js";
import { implementTicketApi } from "./tickets.js";

export interface JssdkServices {
  /**
   * Answer a bridge API (its bridge name, e.g. `getBrandWCPayRequest`, `batchAddCard`) with a
   * handler: called once the page's config, jsApiList and the account's row and grant passed.
   */
  registerApi(bridgeName: string, handler: BridgeHandler): void;
}

declare module "../../module.js" {
  interface ModuleServices {
    jssdk: JssdkServices;
  }
}

export const jssdkModule = defineModule({
  name: "jssdk",
  requires: ["accounts", "simulated-users", "web-identity", "push", "qrcode", "location", "materials"],
  migrations: jssdkMigrations,
  setup(ctx): JssdkServices {
    const store = materialsMediaStore(ctx);
    const kit: Toolkit = { ctx, media: () => store };
    const dispatcher = new BridgeDispatcher(ctx);
    const families = [
      shareHandlers(kit),
      mediaHandlers(kit),
      deviceHandlers(kit),
      uiHandlers(),
      scanHandlers(kit),
    ];
    for (const family of families)
      for (const [name, h] of Object.entries(family)) dispatcher.handlers.set(name, h);
    implementTicketApi(ctx);
    addBridgeRoutes(ctx, dispatcher);
    addJssdkRoutes(ctx);
    return {
      registerApi(bridgeName, handler) {
        dispatcher.handlers.set(bridgeName, handler);
      },
    };
  },
});

export {
  ACCESS_DENIED,
  API_TABLE,
  type ApiEntry,
  type BridgeAnswer,
  type BridgeCall,
  type BridgeHandler,
  cancel,
  chooseSheet,
  fail,
  infoSheet,
  ok,
  overlayPage,
  pageErrMsg,
} from "./apis.js";
export type { JssdkMediaStore, PageMediaType, StoredMedia } from "./media-store.js";
export { issueTicket, liveTickets, TICKET_TTL_SECONDS } from "./tickets.js";
