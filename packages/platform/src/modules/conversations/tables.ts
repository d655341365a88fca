/**
 * Every message between a user and an account, both directions. `kind` says which channel:
 * `message` (the user → account), `event` (the user's event), `passive` (reply to a push),
 * `customer_service`, `mass`, `template`, `subscribe_once`, …; `payload` is the message as JSON.
 */
export interface MessageTable {
  id: string;
  appid: string;
  user_id: string;
  openid: string;
  /** `in` = user → account, `out` = account → user. */
  direction: string;
  kind: string;
  /** WeChat MsgType: text, image, event, news, … */
  msg_type: string;
  payload: string;
  /** WeChat's 64-bit MsgId / msgid as a string, if any. */
  msg_id: string | null;
  created_at: number;
}

declare module "../../db/schema.js" {
  interface Database {
    messages: MessageTable;
  }
}
