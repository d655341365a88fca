/**
 * Invoices as stored (spec/applied-features.md §5): the merchant's settings (auth fields, pay
 * merchant, contact) and invoicing-platform identity (s_pappid), authorisations of orders by users,
 * invoice card templates, and inserted invoices with their reimbursement status.
 */
import { createHash } from "node:crypto";
import type { Migration } from "../../db/migrate.js";
import { type Db, parseJsonColumn } from "../../db/schema.js";

export interface InvoiceSettingsTable {
  appid: string;
  /** JSON: { auth_field?, paymch_info?, contact?, platform?: true } */
  settings: string;
}

export interface InvoiceAuthTable {
  /** The authorisation page token. */
  token: string;
  appid: string;
  s_pappid: string;
  order_id: string;
  money: number;
  source: string;
  type: number;
  redirect_url: string;
  /** pending | authorized | refused | rejected | inserted */
  status: string;
  user_id: string;
  openid: string;
  /** JSON user_auth_info */
  auth_info: string;
  auth_time: number | null;
  expires_at: number;
  created_at: number;
}

export interface InvoiceCardTable {
  card_id: string;
  /** the invoicing platform's account */
  appid: string;
  info: string;
}

export interface InvoiceTable {
  card_id: string;
  code: string;
  appid: string;
  order_id: string;
  user_id: string;
  openid: string;
  data: string;
  reimburse_status: string;
  created_at: number;
}

declare module "../../db/schema.js" {
  interface Database {
    invoice_settings: InvoiceSettingsTable;
    invoice_auths: InvoiceAuthTable;
    invoice_cards: InvoiceCardTable;
    invoices: InvoiceTable;
  }
}

export const invoiceMigrations: Migration[] = [
  {
    id: "invoice.001_invoices",
    async up(db) {
      await db.schema
        .createTable("invoice_settings")
        .addColumn("appid", "text", (c) => c.primaryKey())
        .addColumn("settings", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("invoice_auths")
        .addColumn("token", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("s_pappid", "text", (c) => c.notNull())
        .addColumn("order_id", "text", (c) => c.notNull())
        .addColumn("money", "bigint", (c) => c.notNull())
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("type", "integer", (c) => c.notNull())
        .addColumn("redirect_url", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addColumn("auth_info", "text", (c) => c.notNull())
        .addColumn("auth_time", "bigint")
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("invoice_auths_order")
        .on("invoice_auths")
        .columns(["appid", "order_id"])
        .unique()
        .execute();
      await db.schema
        .createTable("invoice_cards")
        .addColumn("card_id", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("info", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("invoices")
        .addColumn("card_id", "text", (c) => c.notNull())
        .addColumn("code", "text", (c) => c.notNull())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("order_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addColumn("data", "text", (c) => c.notNull())
        .addColumn("reimburse_status", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("invoices_pk", ["card_id", "code"])
        .execute();
    },
  },
];

/** The invoicing platform id of an account (stable per appid). */
export const sPappidOf = (appid: string) =>
  createHash("sha256").update(`mpstack-invoice:${appid}`).digest("base64url").slice(0, 24);

export interface InvoiceSettings {
  auth_field?: Record<string, unknown>;
  paymch_info?: Record<string, unknown>;
  contact?: Record<string, unknown>;
  /** set by seturl: the account is an invoicing platform */
  platform?: boolean;
}

export async function settingsOf(db: Db, appid: string): Promise<InvoiceSettings> {
  const r = await db.selectFrom("invoice_settings").selectAll().where("appid", "=", appid).executeTakeFirst();
  return parseJsonColumn<InvoiceSettings>(r?.settings, {});
}

export async function saveSettings(db: Db, appid: string, s: InvoiceSettings): Promise<void> {
  const settings = JSON.stringify(s);
  await db
    .insertInto("invoice_settings")
    .values({ appid, settings })
    .onConflict((oc) => oc.column("appid").doUpdateSet({ settings }))
    .execute();
}

export async function authOf(db: Db, appid: string, orderId: string) {
  return db
    .selectFrom("invoice_auths")
    .selectAll()
    .where("appid", "=", appid)
    .where("order_id", "=", orderId)
    .executeTakeFirst();
}
