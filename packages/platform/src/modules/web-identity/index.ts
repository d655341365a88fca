/**
 * Web identity: which simulated user is browsing the platform's pages (OAuth consent, the one-time
 * subscription page, JS-SDK calls, the pay sheet). A browser carries a signed cookie on the
 * platform's origin, set by a one-time link the simulator hands out (tests, the console's in-app
 * browser) or by the "browse as …" chooser page. Pages ask the service who is browsing and send
 * a browser without an identity to the chooser. A link may say how the page is entered (the
 * account's menu or conversation: entry.ts), and the JS bridge on other origins carries the
 * identity as a signed token instead of the cookie (bridge-token.ts).
 */
import { Type } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import { html, pageFrame } from "../../http/html.js";
import { defineModule } from "../../module.js";
import { getUser, listUsers, requireUser, type User } from "../simulated-users/index.js";
import { BridgeTokens } from "./bridge-token.js";
import { CookieSigner } from "./cookie.js";
import { ENTRY_KINDS, type Entry, entryCookie, entryOf } from "./entry.js";
import { OneTimeLinks, safeNext } from "./links.js";
import { webIdentityMigrations } from "./migrations.js";

export const BROWSE_PATH = "/_mpstack/browse";
export { ENTRY_KINDS, type Entry, type EntryKind } from "./entry.js";

export interface WebIdentityServices {
  /** The simulated user browsing (from the request's cookie), or null. */
  userOf(request: FastifyRequest): Promise<User | null>;
  /** The chooser page, which returns to `next` once a user is picked. */
  chooserUrl(next: string): string;
  /**
   * A one-time link (path on the platform) that makes the browser `userId` and opens `next`;
   * `entry` says the page is entered from an account's menu or conversation.
   */
  linkFor(userId: string, next: string, entry?: Entry): { link: string; expiresAt: number };
  /** How the browser entered the page (the last one-time link's `entry`), or null. */
  entryOf(request: FastifyRequest): Promise<Entry | null>;
  /** A token the JS bridge carries to other origins instead of the cookie (a day). */
  bridgeTokenFor(userId: string): Promise<{ token: string; expiresAt: number }>;
  /** The user a bridge token names, or null (forged, expired, or the user is gone). */
  userOfBridgeToken(token: string | undefined): Promise<User | null>;
}

declare module "../../module.js" {
  interface ModuleServices {
    "web-identity": WebIdentityServices;
  }
}

const chooserUrl = (next: string) => `${BROWSE_PATH}?next=${encodeURIComponent(next)}`;

function chooserPage(users: User[], next: string, current: string | null): string {
  const items = users.map(
    (u) =>
      html`<li><a href="${BROWSE_PATH}/as/${encodeURIComponent(u.id)}?next=${encodeURIComponent(next)}">${u.nickname} <span class="muted">${u.id}${u.id === current ? " · 当前 current" : ""}</span></a></li>`,
  );
  return pageFrame(
    "选择微信用户 · Browse as",
    html`<h1>以哪位模拟用户浏览？<br><span class="muted">Browse as which simulated user?</span></h1>
<div class="card"><ul class="list">${items.length ? items : html`<li class="muted">没有模拟用户 · No simulated users yet</li>`}</ul></div>
<p class="muted">${next}</p>`,
  );
}

export const webIdentityModule = defineModule({
  name: "web-identity",
  requires: ["simulated-users"],
  migrations: webIdentityMigrations,
  setup(ctx): WebIdentityServices {
    const signer = new CookieSigner(ctx.db);
    const links = new OneTimeLinks(ctx.clock);
    const bridgeTokens = new BridgeTokens(signer, ctx.clock);
    ctx.events.on("world.replaced", () => {
      signer.forget();
      links.clear();
    });
    const sim = ctx.simulator;

    sim.route({
      method: "POST",
      url: "/users/:user/browse-link",
      tag: "web",
      summary:
        "A one-time link (10 minutes) that makes a browser this simulated user on the platform's pages, then opens `next`.",
      params: Type.Object({ user: Type.String() }),
      body: Type.Object({
        next: Type.Optional(Type.String({ maxLength: 4096 })),
        entry: Type.Optional(
          Type.Object(
            {
              appid: Type.String({ maxLength: 64 }),
              from: Type.Union(ENTRY_KINDS.map((k) => Type.Literal(k))),
            },
            {
              description:
                "the page is entered from this account's menu or conversation (silent OAuth for followers)",
            },
          ),
        ),
      }),
      handler: async ({ params, body }) => {
        await requireUser(ctx.db, params.user);
        const { token, expiresAt } = links.create(params.user, safeNext(body.next), body.entry);
        const path = `${BROWSE_PATH}/link/${token}`;
        return { link: ctx.runtime.url + path, path, expiresAt };
      },
    });
    sim.route({
      method: "GET",
      url: "/browse",
      tag: "web",
      summary: 'The "browse as …" chooser page (HTML): pick a simulated user, then go on to `next`.',
      query: Type.Object({ next: Type.Optional(Type.String({ maxLength: 4096 })) }),
      handler: async ({ query, raw }, reply) => {
        const current = await signer.userIdOf(raw.headers.cookie);
        const users = await listUsers(ctx.db, { limit: 500 });
        reply.type("text/html; charset=utf-8").send(chooserPage(users, safeNext(query.next), current));
      },
    });
    sim.route({
      method: "GET",
      url: "/browse/as/:user",
      tag: "web",
      summary: "Browse as this simulated user (sets the cookie), then go on to `next` (the chooser's links).",
      params: Type.Object({ user: Type.String() }),
      query: Type.Object({ next: Type.Optional(Type.String({ maxLength: 4096 })) }),
      handler: async ({ params, query }, reply) => {
        await requireUser(ctx.db, params.user);
        reply.header("set-cookie", await signer.setCookie(params.user)).redirect(safeNext(query.next), 302);
      },
    });
    sim.route({
      method: "GET",
      url: "/browse/whoami",
      tag: "web",
      summary: "Which simulated user this browser is, or { user: null }.",
      handler: async ({ raw }) => {
        const id = await signer.userIdOf(raw.headers.cookie);
        return { user: id };
      },
    });
    sim.route({
      method: "POST",
      url: "/browse/forget",
      tag: "web",
      summary: "Forget this browser's simulated user.",
      handler: async (_req, reply) => {
        reply.header("set-cookie", signer.clearCookie()).send({ ok: true });
      },
    });
    // The one-time link carries its own credential (the token), so it sits outside the simulator's
    // guard: a browser opening it cannot send an admin key.
    ctx.app.get<{ Params: { token: string } }>(`${BROWSE_PATH}/link/:token`, async (req, reply) => {
      const link = links.take(req.params.token);
      if (!link) {
        return reply
          .code(410)
          .type("text/html; charset=utf-8")
          .send(
            pageFrame(
              "链接已失效 · Link expired",
              html`<h1>链接已失效<br><span class="muted">This link was used or has expired.</span></h1>`,
            ),
          );
      }
      return reply
        .header("set-cookie", [await signer.setCookie(link.userId), await entryCookie(signer, link.entry)])
        .redirect(link.next, 302);
    });

    return {
      async userOf(request) {
        const id = await signer.userIdOf(request.headers.cookie);
        if (!id) return null;
        return (await getUser(ctx.db, id)) ?? null;
      },
      chooserUrl,
      linkFor(userId, next, entry) {
        const { token, expiresAt } = links.create(userId, safeNext(next), entry);
        return { link: `${BROWSE_PATH}/link/${token}`, expiresAt };
      },
      entryOf: (request) => entryOf(signer, request.headers.cookie),
      bridgeTokenFor: (userId) => bridgeTokens.issue(userId),
      async userOfBridgeToken(token) {
        const id = await bridgeTokens.userIdOf(token);
        if (!id) return null;
        return (await getUser(ctx.db, id)) ?? null;
      },
    };
  },
});
