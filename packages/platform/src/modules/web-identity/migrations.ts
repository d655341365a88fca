/** Migrations of the web-identity module. */
import type { Migration } from "../../db/migrate.js";

export const webIdentityMigrations: Migration[] = [
  {
    id: "web-identity.001_keys",
    async up(db) {
      await db.schema
        .createTable("web_identity_keys")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("secret", "text", (c) => c.notNull())
        .execute();
    },
  },
];
