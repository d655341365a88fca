/**
 * What the pay module's parts share while the platform runs: the module context, the notifier, the
 * fault queue, and merchant lookups that make a missing merchant on demand (an account granted
 * `pay` gets its merchant, keys and certificates when it is first looked up).
 */
import type { ModuleContext } from "../../module.js";
import type { PayFaults } from "./faults.js";
import { mchIdFor } from "./ids.js";
import { type Merchant, merchantByAppid, merchantByMchId, syncMerchants } from "./merchant.js";
import type { PayNotifier } from "./notify.js";

export type PayContext = ModuleContext<"accounts" | "simulated-users" | "push" | "web-identity">;

export class PayRuntime {
  constructor(
    readonly ctx: PayContext,
    readonly notifier: PayNotifier,
    readonly faults: PayFaults,
  ) {}

  async byMchId(mchId: string): Promise<Merchant | undefined> {
    const m = await merchantByMchId(this.ctx.db, mchId);
    if (m) return m;
    await syncMerchants(this.ctx, (a) => mchIdFor(a.appid) === mchId);
    return merchantByMchId(this.ctx.db, mchId);
  }

  async byAppid(appid: string): Promise<Merchant | undefined> {
    const m = await merchantByAppid(this.ctx.db, appid);
    if (m) return m;
    await syncMerchants(this.ctx, (a) => a.appid === appid);
    return merchantByAppid(this.ctx.db, appid);
  }
}
