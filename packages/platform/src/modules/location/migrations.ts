/** Migrations of the location module: account settings, user positions and consents. */
import type { Migration } from "../../db/migrate.js";

export const locationMigrations: Migration[] = [
  {
    id: "location.001_settings_positions",
    async up(db) {
      await db.schema
        .createTable("location_settings")
        .addColumn("appid", "text", (c) => c.primaryKey())
        .addColumn("mode", "text", (c) => c.notNull())
        .addColumn("interval_seconds", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("user_locations")
        .addColumn("user_id", "text", (c) => c.primaryKey())
        .addColumn("latitude", "text", (c) => c.notNull())
        .addColumn("longitude", "text", (c) => c.notNull())
        .addColumn("precision", "text", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("location_consents")
        .addColumn("appid", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("allowed", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("location_consents_pk", ["appid", "user_id"])
        .execute();
    },
  },
];
