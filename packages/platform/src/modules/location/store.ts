/** Location settings, positions and consents (users.md §10.2). */
import type { Db } from "../../db/schema.js";

export type LocationMode = "off" | "entry" | "periodic";

export interface LocationSettings {
  /**
   * The console switch (开发 → 接口权限 → 获取用户地理位置): off by default; `entry` reports once on
   * each entry into the conversation, `periodic` on entry and then every `intervalSeconds`.
   */
  mode: LocationMode;
  intervalSeconds: number;
}

export const DEFAULT_LOCATION_SETTINGS: LocationSettings = { mode: "off", intervalSeconds: 5 };

export interface Position {
  latitude: number;
  longitude: number;
  precision: number;
}

export async function getLocationSettings(db: Db, appid: string): Promise<LocationSettings> {
  const r = await db
    .selectFrom("location_settings")
    .selectAll()
    .where("appid", "=", appid)
    .executeTakeFirst();
  if (!r) return DEFAULT_LOCATION_SETTINGS;
  return { mode: r.mode as LocationMode, intervalSeconds: r.interval_seconds };
}

export async function setLocationSettings(
  db: Db,
  appid: string,
  change: Partial<LocationSettings>,
): Promise<LocationSettings> {
  const next = { ...(await getLocationSettings(db, appid)), ...change };
  const row = { mode: next.mode, interval_seconds: next.intervalSeconds };
  await db
    .insertInto("location_settings")
    .values({ appid, ...row })
    .onConflict((oc) => oc.column("appid").doUpdateSet(row))
    .execute();
  return next;
}

export async function getPosition(db: Db, userId: string): Promise<Position | null> {
  const r = await db
    .selectFrom("user_locations")
    .selectAll()
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!r) return null;
  return { latitude: Number(r.latitude), longitude: Number(r.longitude), precision: Number(r.precision) };
}

export async function setPosition(db: Db, userId: string, p: Position, now: number): Promise<void> {
  const row = {
    latitude: String(p.latitude),
    longitude: String(p.longitude),
    precision: String(p.precision),
    updated_at: now,
  };
  await db
    .insertInto("user_locations")
    .values({ user_id: userId, ...row })
    .onConflict((oc) => oc.column("user_id").doUpdateSet(row))
    .execute();
}

/** Did the user allow this account to use their location? (Absent = allowed: the prompt was accepted.) */
export async function consentOf(db: Db, appid: string, userId: string): Promise<boolean> {
  const r = await db
    .selectFrom("location_consents")
    .select("allowed")
    .where("appid", "=", appid)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return r ? r.allowed === 1 : true;
}

export async function setConsent(db: Db, appid: string, userId: string, allowed: boolean): Promise<void> {
  const v = allowed ? 1 : 0;
  await db
    .insertInto("location_consents")
    .values({ appid, user_id: userId, allowed: v })
    .onConflict((oc) => oc.columns(["appid", "user_id"]).doUpdateSet({ allowed: v }))
    .execute();
}
