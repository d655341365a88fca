/**
 * Mass module (群发, spec/mass-send.md): sendall / send / preview / delete / get / speed, the
 * frequency limits and clientmsgid idempotency, durable jobs that deliver into every recipient's
 * conversation (kind `mass`) exactly once across crashes, the MASSSENDJOBFINISH push, article
 * pages of mass sends, and the simulator views of jobs and of what a user received.
 */

import { parseJsonColumn } from "../../db/schema.js";
import { defineModule } from "../../module.js";
import { MinuteWindow } from "./admission.js";
import { implementMassApi } from "./api.js";
import { findJob } from "./jobs.js";
import type { MassMessage } from "./message.js";
import { massMigrations } from "./migrations.js";
import { addMassRoutes } from "./routes.js";
import { MassRunner } from "./runner.js";

declare module "../../events.js" {
  interface PlatformEventMap {
    /** A mass job was submitted, delivered a chunk, or finished. */
    "mass.job": {
      appid: string;
      msgId: string;
      kind: string;
      status: string;
      expected: number;
      total: number;
      skipped: number;
      sent: number;
      errors: number;
    };
  }
}

export const massModule = defineModule({
  name: "mass",
  requires: ["accounts", "simulated-users", "conversations", "follower-tags", "push", "materials"],
  migrations: massMigrations,
  setup(ctx) {
    const runner = new MassRunner(ctx);
    const minute = new MinuteWindow();
    implementMassApi(ctx, runner, minute);
    addMassRoutes(ctx);
    // The article pages of mass sends: the job keeps its articles (a sent draft leaves the box).
    ctx.services.materials.addArticleSource("m", async (appid, msgId) => {
      const job = await findJob(ctx.db, appid, msgId);
      const m = job ? parseJsonColumn<MassMessage | null>(job.message, null) : null;
      if (!job || !m?.mpnews || job.kind === "preview") return null;
      return {
        articles: m.mpnews.articles,
        deleted: job.status === "DELETE" ? "all" : new Set(parseJsonColumn<number[]>(job.deleted, [])),
      };
    });
    const resume = () => ctx.background("mass resume", () => runner.resume());
    resume();
    ctx.events.on("world.replaced", () => {
      runner.worldReplaced();
      minute.clear();
      resume();
    });
    ctx.onClose(() => runner.close());
  },
});
