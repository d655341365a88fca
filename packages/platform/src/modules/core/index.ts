/** The core's tables (clock, journal, quotas); its routes live in app.ts (they need the platform). */
import type { PlatformModule } from "../../context.js";
import { coreMigrations } from "./migrations.js";

export const coreModule: PlatformModule = { name: "core", migrations: coreMigrations };
