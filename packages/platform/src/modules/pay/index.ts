/**
 * WeChat Pay for official accounts (spec/applied-features.md §1): a simulated merchant per account
 * with the `pay` grant, the v2 XML API and the v3 JSON API on the pay host's paths (served on the
 * platform's one port), the payer's pay sheet, and durable payment/refund notifications retried on
 * WeChat's schedule. The module answers the JS-SDK bridge's `getBrandWCPayRequest` (and so
 * `wx.chooseWXPay`): the sheet is shown over the page and the page's callback waits for the payer
 * (bridge.ts); `startPayment` serves the same checks to the simulator API.
 */
import { defineModule } from "../../module.js";
import { payBridgeHandler } from "./bridge.js";
import { PayFaults } from "./faults.js";
import { merchantByAppid, merchantView } from "./merchant.js";
import { payMigrations } from "./migrations.js";
import { PayNotifier } from "./notify.js";
import { addPayRoutes } from "./routes.js";
import { PayRuntime } from "./runtime.js";
import {
  type PaySessionResult,
  PaySheets,
  type StartPaymentInput,
  type StartPaymentResult,
} from "./sheet.js";
import { mountPayV2 } from "./v2.js";
import { mountPayV3 } from "./v3.js";

export interface PayServices {
  /**
   * A page asked to pay (`WeixinJSBridge.invoke('getBrandWCPayRequest', params)` or
   * `wx.chooseWXPay(params)`): check the parameters and open a pay session. On success show
   * `sheetPath` to the paying user (the bridge opens it in an overlay); its result arrives as a
   * `pay.session` platform event, as a `postMessage` from the sheet to its parent, and through
   * `paymentResult`. On failure hand `errMsg` to the page's callback.
   */
  startPayment(input: StartPaymentInput): Promise<StartPaymentResult>;
  /** The result of a pay session (`pending` until the user answers the sheet). */
  paymentResult(sessionId: string): Promise<{ result: PaySessionResult; errMsg: string } | undefined>;
  /** The merchant of an account (undefined without the pay grant). */
  merchantOf(appid: string): Promise<ReturnType<typeof merchantView> | undefined>;
}

declare module "../../module.js" {
  interface ModuleServices {
    pay: PayServices;
  }
}

export const payModule = defineModule({
  name: "pay",
  requires: ["accounts", "simulated-users", "push", "web-identity", "jssdk"],
  migrations: payMigrations,
  async setup(ctx): Promise<PayServices> {
    const notifier = new PayNotifier(ctx);
    const faults = new PayFaults();
    const rt = new PayRuntime(ctx, notifier, faults);
    const sheets = new PaySheets(rt);
    await mountPayV2(rt);
    await mountPayV3(rt);
    addPayRoutes(rt, sheets);
    ctx.services.jssdk.registerApi("getBrandWCPayRequest", payBridgeHandler(sheets));
    // Merchants are made on demand (simulator, pay calls, pay requests): a 2048-bit key costs most
    // of a second of CPU, which a platform that never pays should not spend at start.
    ctx.events.on("world.replaced", () => {
      faults.clear();
      sheets.clear();
    });
    notifier.start();
    ctx.onClose(() => notifier.close());
    return {
      startPayment: (input) => sheets.start(input),
      paymentResult: async (id) => {
        const v = await sheets.view(id);
        return v && { result: v.result, errMsg: v.errMsg };
      },
      merchantOf: async (appid) => {
        const m = (await merchantByAppid(ctx.db, appid)) ?? (await rt.byAppid(appid));
        return m && merchantView(m);
      },
    };
  },
});

export { mchIdFor } from "./ids.js";
export {
  FAIL_REASONS,
  type JsapiPayParams,
  type StartPaymentInput,
  type StartPaymentResult,
} from "./sheet.js";
