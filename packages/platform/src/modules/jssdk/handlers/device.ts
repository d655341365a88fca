/**
 * Device and location (spec/jssdk.md §5.6–§5.7): the network type of the user's simulated phone,
 * the user's position from the location module (WGS-84, or GCJ-02 on request) after the phone's
 * "allow this page to use your location?" prompt, and `openLocation` (shown by the bridge).
 */
import { getPosition } from "../../location/index.js";
import type { BridgeHandler } from "../apis.js";
import { cancel, fail, ok } from "../apis.js";
import { wgs84ToGcj02 } from "../geo.js";
import { phoneSettings } from "../records.js";
import type { Toolkit } from "./toolkit.js";

/** Where a user who never set a position stands (People's Square, Shanghai; emulator choice). */
export const DEFAULT_POSITION = { latitude: 31.2304, longitude: 121.4737, precision: 65 };

const num = (v: unknown) =>
  typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;

export function deviceHandlers(kit: Toolkit): Record<string, BridgeHandler> {
  const { ctx } = kit;
  return {
    async getNetworkType(call) {
      const { networkType } = await phoneSettings(ctx.db, call.user.id);
      // The native answer: wifi, or a cellular `wwan` with its generation in `subtype`.
      if (networkType === "wifi") return { result: { err_msg: "network_type:wifi" } };
      if (networkType === "none") return { result: { err_msg: "network_type:fail" } };
      return { result: { err_msg: "network_type:wwan", subtype: networkType } };
    },
    async geoLocation(call) {
      const type = typeof call.args.type === "string" ? call.args.type : "wgs84";
      if (type !== "wgs84" && type !== "gcj02") return { result: fail(call.name, "invalid type") };
      const answer = async () => {
        const p = (await getPosition(ctx.db, call.user.id)) ?? DEFAULT_POSITION;
        const at = type === "gcj02" ? wgs84ToGcj02(p.latitude, p.longitude) : p;
        return {
          result: ok(call.name, {
            latitude: Number(at.latitude.toFixed(6)),
            longitude: Number(at.longitude.toFixed(6)),
            speed: 0,
            accuracy: p.precision,
          }),
        };
      };
      const { locationPrompt } = await phoneSettings(ctx.db, call.user.id);
      if (locationPrompt === "allow") return answer();
      if (locationPrompt === "deny") return { result: cancel(call.name) };
      return {
        result: ok(call.name),
        directive: { kind: "location", account: call.account?.name ?? "" },
        next: async (choice) =>
          (choice as { allow?: unknown } | null)?.allow === true ? answer() : { result: cancel(call.name) },
      };
    },
    async openLocation(call) {
      const latitude = num(call.args.latitude);
      const longitude = num(call.args.longitude);
      const scale = call.args.scale === undefined ? 28 : num(call.args.scale);
      if (!(Math.abs(latitude) <= 90)) return { result: fail(call.name, "invalid latitude") };
      if (!(Math.abs(longitude) <= 180)) return { result: fail(call.name, "invalid longitude") };
      if (!(Number.isInteger(scale) && scale >= 1 && scale <= 28))
        return { result: fail(call.name, "invalid scale") };
      return {
        result: ok(call.name),
        directive: {
          kind: "openLocation",
          latitude,
          longitude,
          name: typeof call.args.name === "string" ? call.args.name : "",
          address: typeof call.args.address === "string" ? call.args.address : "",
          scale,
        },
      };
    },
  };
}
