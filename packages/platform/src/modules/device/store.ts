/**
 * Devices as stored (spec/applied-features.md §4): authorised devices with their QR ticket and
 * licence, user bindings (with the status-subscription flag), and the bytes the developer sent to
 * each device through transmsg (the simulated device's inbox).
 */
import type { Migration } from "../../db/migrate.js";
import type { Db } from "../../db/schema.js";

export interface DeviceTable {
  appid: string;
  device_id: string;
  mac: string;
  product_id: string;
  /** JSON of the authorize_device entry. */
  info: string;
  ticket: string;
  licence: string;
  created_at: number;
}

export interface DeviceBindingTable {
  appid: string;
  device_id: string;
  user_id: string;
  openid: string;
  /** 1 once the user subscribed to the device's status (subscribe_status). */
  status_subscribed: number;
  bound_at: number;
}

export interface DeviceMessageTable {
  id: string;
  appid: string;
  device_id: string;
  openid: string;
  /** base64 bytes, or `status:<n>` for a status message */
  content: string;
  created_at: number;
}

declare module "../../db/schema.js" {
  interface Database {
    devices: DeviceTable;
    device_bindings: DeviceBindingTable;
    device_messages: DeviceMessageTable;
  }
}

export const deviceMigrations: Migration[] = [
  {
    id: "device.001_devices",
    async up(db) {
      await db.schema
        .createTable("devices")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("device_id", "text", (c) => c.notNull())
        .addColumn("mac", "text", (c) => c.notNull())
        .addColumn("product_id", "text", (c) => c.notNull())
        .addColumn("info", "text", (c) => c.notNull())
        .addColumn("ticket", "text", (c) => c.notNull().unique())
        .addColumn("licence", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("devices_pk", ["appid", "device_id"])
        .execute();
      await db.schema
        .createTable("device_bindings")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("device_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addColumn("status_subscribed", "integer", (c) => c.notNull())
        .addColumn("bound_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("device_bindings_pk", ["appid", "device_id", "openid"])
        .execute();
      await db.schema
        .createIndex("device_bindings_openid")
        .on("device_bindings")
        .columns(["appid", "openid"])
        .execute();
      await db.schema
        .createTable("device_messages")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("device_id", "text", (c) => c.notNull())
        .addColumn("openid", "text", (c) => c.notNull())
        .addColumn("content", "text", (c) => c.notNull())
        .addColumn("created_at", "bigint", (c) => c.notNull())
        .execute();
    },
  },
];

export async function getDevice(db: Db, appid: string, deviceId: string) {
  return db
    .selectFrom("devices")
    .selectAll()
    .where("appid", "=", appid)
    .where("device_id", "=", deviceId)
    .executeTakeFirst();
}

export async function deviceByTicket(db: Db, ticket: string) {
  return db.selectFrom("devices").selectAll().where("ticket", "=", ticket).executeTakeFirst();
}

export async function bindingsOf(db: Db, appid: string, by: { deviceId?: string; openid?: string }) {
  let q = db.selectFrom("device_bindings").selectAll().where("appid", "=", appid);
  if (by.deviceId !== undefined) q = q.where("device_id", "=", by.deviceId);
  if (by.openid !== undefined) q = q.where("openid", "=", by.openid);
  return q.orderBy("bound_at").execute();
}
