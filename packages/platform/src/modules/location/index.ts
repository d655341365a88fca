/**
 * Location module: the account's location-reporting switch and mode, each user's position and
 * consent, and the LOCATION events of entering (and staying in) a conversation.
 */
import { mayCall } from "@mpstack/protocol";
import { type Static, Type } from "@sinclair/typebox";
import { badRequest, conflict } from "../../http/simulator.js";
import { defineModule, type ModuleContext } from "../../module.js";
import { requireAccount } from "../accounts/index.js";
import { resultView } from "../push/index.js";
import { getFollow, requireUser } from "../simulated-users/index.js";
import { locationMigrations } from "./migrations.js";
import { LocationReporter, type ReportOutcome } from "./reporter.js";
import {
  consentOf,
  getLocationSettings,
  getPosition,
  type Position,
  setConsent,
  setLocationSettings,
  setPosition,
} from "./store.js";

const PositionFields = {
  latitude: Type.Number({ minimum: -90, maximum: 90 }),
  longitude: Type.Number({ minimum: -180, maximum: 180 }),
  precision: Type.Optional(Type.Number({ minimum: 0, description: "accuracy in meters, default 65" })),
};
const EnterBody = Type.Object({
  appid: Type.String(),
  latitude: Type.Optional(PositionFields.latitude),
  longitude: Type.Optional(PositionFields.longitude),
  precision: PositionFields.precision,
});
const ReportBody = Type.Object({ appid: Type.String(), ...PositionFields });
type EnterInput = Static<typeof EnterBody>;

const DEFAULT_PRECISION = 65;

/** The push as the /messages route shows it (reply/notice always present). */
const outcomeView = (o: ReportOutcome) => ({ ...o, push: o.push && resultView(o.push) });

function positionOf(b: Record<string, unknown>): Position | undefined {
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  const lat = num(b.latitude);
  const lng = num(b.longitude);
  if (b.latitude === undefined && b.longitude === undefined) return undefined;
  if (lat === undefined || lng === undefined || Math.abs(lat) > 90 || Math.abs(lng) > 180)
    throw badRequest("latitude (-90..90) and longitude (-180..180) go together");
  const precision = b.precision === undefined ? DEFAULT_PRECISION : num(b.precision);
  if (precision === undefined || precision < 0) throw badRequest("precision: a non-negative number");
  return { latitude: lat, longitude: lng, precision };
}

function addLocationRoutes(ctx: ModuleContext<"push">, reporter: LocationReporter): void {
  const sim = ctx.simulator;
  const requireFollower = async (appid: string, userId: string) => {
    const f = await getFollow(ctx.db, appid, userId);
    if (f?.subscribed !== 1) throw conflict(`user ${userId} does not follow ${appid}`);
  };

  const enter = async (userId: string, body: Record<string, unknown> & { appid: string }) => {
    await requireUser(ctx.db, userId);
    const account = await requireAccount(ctx.db, body.appid);
    await requireFollower(account.appid, userId);
    const position = positionOf(body);
    return { entered: true, ...outcomeView(await reporter.enter(account, userId, position)) };
  };
  const report = async (userId: string, body: Record<string, unknown> & { appid: string }) => {
    await requireUser(ctx.db, userId);
    const account = await requireAccount(ctx.db, body.appid);
    const position = positionOf(body);
    if (!position) throw badRequest("latitude and longitude are required");
    await setPosition(ctx.db, userId, position, ctx.clock.now());
    return outcomeView(await reporter.report(account, userId));
  };
  const leave = async (userId: string, appid: string) => {
    await requireUser(ctx.db, userId);
    await requireAccount(ctx.db, appid);
    return { left: reporter.leave(appid, userId) };
  };

  sim.route({
    method: "GET",
    url: "/accounts/:appid/location-settings",
    tag: "location",
    summary: "The account's location reporting: mode off | entry | periodic, and the periodic interval.",
    params: Type.Object({ appid: Type.String() }),
    handler: async ({ params }) => {
      await requireAccount(ctx.db, params.appid);
      return getLocationSettings(ctx.db, params.appid);
    },
  });
  sim.route({
    method: "PUT",
    url: "/accounts/:appid/location-settings",
    tag: "location",
    summary:
      "Turn location reporting on (entry: on each entry; periodic: on entry and every intervalSeconds) or off. Needs the permission row (verified service accounts).",
    params: Type.Object({ appid: Type.String() }),
    body: Type.Object({
      mode: Type.Union([Type.Literal("off"), Type.Literal("entry"), Type.Literal("periodic")]),
      intervalSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    }),
    handler: async ({ params, body }) => {
      const account = await requireAccount(ctx.db, params.appid);
      if (
        body.mode !== "off" &&
        !mayCall(account, "user.location", ctx.policiesFor(account).permissionOverrides)
      )
        throw conflict("this account type cannot use location reporting (verified service accounts only)");
      return setLocationSettings(ctx.db, account.appid, {
        mode: body.mode,
        ...(body.intervalSeconds !== undefined ? { intervalSeconds: body.intervalSeconds } : {}),
      });
    },
  });
  sim.route({
    method: "GET",
    url: "/users/:user/location",
    tag: "location",
    summary: "The user's current position (null when never set).",
    params: Type.Object({ user: Type.String() }),
    handler: async ({ params }) => {
      await requireUser(ctx.db, params.user);
      return { position: await getPosition(ctx.db, params.user) };
    },
  });
  sim.route({
    method: "POST",
    url: "/users/:user/location",
    tag: "location",
    summary:
      "The user's client reports its position to the account now (LOCATION when the account's reporting is on); answers the push or why none was made.",
    params: Type.Object({ user: Type.String() }),
    body: ReportBody,
    handler: ({ params, body }) => report(params.user, body),
  });
  sim.route({
    method: "PUT",
    url: "/users/:user/location-consent",
    tag: "location",
    summary: "The user's answer to 'may this account use my location?' (default: allowed).",
    params: Type.Object({ user: Type.String() }),
    body: Type.Object({ appid: Type.String(), allowed: Type.Boolean() }),
    handler: async ({ params, body }) => {
      await requireUser(ctx.db, params.user);
      await requireAccount(ctx.db, body.appid);
      await setConsent(ctx.db, body.appid, params.user, body.allowed);
      return { allowed: await consentOf(ctx.db, body.appid, params.user) };
    },
  });
  sim.route({
    method: "POST",
    url: "/users/:user/enter",
    tag: "location",
    summary:
      "The user opens the conversation (optionally from a new position): LOCATION when reporting is on; periodic mode keeps reporting until /leave.",
    params: Type.Object({ user: Type.String() }),
    body: EnterBody,
    handler: ({ params, body }) => enter(params.user, body as EnterInput & Record<string, unknown>),
  });
  sim.route({
    method: "POST",
    url: "/users/:user/leave",
    tag: "location",
    summary: "The user leaves the conversation (periodic reports stop).",
    params: Type.Object({ user: Type.String() }),
    body: Type.Object({ appid: Type.String() }),
    handler: ({ params, body }) => leave(params.user, body.appid),
  });
  sim.route({
    method: "POST",
    url: "/location/tick",
    tag: "location",
    summary: "Push the periodic LOCATION reports that are due now (by the platform clock) and wait for them.",
    handler: async () => ({ pushed: await reporter.runDue(true) }),
  });

  ctx.services.push.registerUserEvent(
    "enter",
    ({ user, body }) => enter(user.id, body as Record<string, unknown> & { appid: string }),
    "Open the conversation (latitude/longitude/precision optional): LOCATION when reporting is on.",
  );
  ctx.services.push.registerUserEvent(
    "location",
    ({ user, body }) => report(user.id, body as Record<string, unknown> & { appid: string }),
    "Report the position now: latitude, longitude, precision (LOCATION when reporting is on).",
  );
  ctx.services.push.registerUserEvent(
    "leave",
    ({ user, account }) => leave(user.id, account.appid),
    "Leave the conversation (periodic location reports stop).",
  );
}

export const locationModule = defineModule({
  name: "location",
  requires: ["accounts", "simulated-users", "push"],
  migrations: locationMigrations,
  setup(ctx) {
    addLocationRoutes(ctx, new LocationReporter(ctx));
  },
});

export { LocationReporter, type ReportOutcome, type SkipReason } from "./reporter.js";
export * from "./store.js";
