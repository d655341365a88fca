/**
 * The hook through which the multi-customer-service module (which requires push, so push cannot
 * require it) takes part in pushes (customer-service.md §6.6, §8): a user in a customer-service
 * session talks to the worker, not to the developer's server; a `transfer_customer_service` reply
 * puts the user into the waiting queue. Installed with `push.setInboundRouter(…)`, like
 * `accounts.setServerCheck`. Without one, pushes behave as before and a transfer reply is dropped.
 */
import type { InboundPayload } from "@mpstack/protocol";
import type { Account } from "../../account.js";

export interface InboundRouter {
  /**
   * Before a user's ordinary message is pushed: `customer_service` when the customer-service system
   * takes it (it is recorded in the conversation, opens the window, and is not pushed).
   */
  route(m: {
    account: Account;
    userId: string;
    openid: string;
    message: InboundPayload;
  }): Promise<"push" | "customer_service">;
  /** The developer answered a user's ordinary message with transfer_customer_service. */
  transferred(m: {
    appid: string;
    userId: string;
    openid: string;
    /** TransInfo/KfAccount, when the reply named one. */
    kfAccount: string | undefined;
    /** The pushed message (its XML), for the chat records. */
    xml: string;
  }): Promise<void>;
}
