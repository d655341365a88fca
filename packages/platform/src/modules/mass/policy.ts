/**
 * Mass-send policies: the limits mass-send.md §9 documents (as data) and the emulator's choices
 * where it is unsure (§5 who may send by OpenID list, §9.2 codes and counts, §12 pacing). Set
 * through `PUT /_mpstack/mass-policy`.
 */
import { scopedPolicies } from "../../db/scoped-policies.js";

export interface MassPolicy {
  /** Subscription accounts: successful mass sends a China-time day (documented 1). */
  subscriptionPerDay: number;
  /** Service accounts: `is_to_all` sends a day (1) and a month (documented 4). */
  serviceToAllPerDay: number;
  serviceToAllPerMonth: number;
  /** Service accounts: mass sends submitted a day before 45009 (older docs: 100). */
  serviceCallsPerDay: number;
  /** Service accounts: mass messages one follower receives a month (documented 4). */
  serviceReceivesPerMonth: number;
  /** Mass-send API calls a minute before 45011 (documented 60). */
  callsPerMinute: number;
  /** Previews by WeChat ID a day before 45009 (documented 100). */
  previewsByWxnamePerDay: number;
  /** Who may send by OpenID list (§5): verified service accounts (default) or every verified account. */
  sendByOpenidAccounts: "verified_service" | "verified";
  /** Sends without clientmsgid are keyed by a digest of scope and content (documented; default on). */
  digestKeyWithoutClientMsgId: boolean;
  /** The administrator accepted the mass-send agreement (false answers 48003; §4 step 6). */
  agreementAccepted: boolean;
  /**
   * Delivery pace (§12): `instant` (default: as fast as the store writes) or `speed` (the account's
   * speed level, e.g. level 0 = 800 000 a minute, in real time).
   */
  pace: "instant" | "speed";
  /** Recipients per delivery transaction (progress, crash and resume granularity). */
  chunkSize: number;
  /** A pause after each chunk (ms) — for demos and crash tests; default 0. */
  chunkPauseMs: number;
  /** Jobs of at most this many recipients announce each message (`conversation.message`); larger ones only their progress. */
  liveMessagesUpTo: number;
}

export const DEFAULT_MASS_POLICY: MassPolicy = {
  subscriptionPerDay: 1,
  serviceToAllPerDay: 1,
  serviceToAllPerMonth: 4,
  serviceCallsPerDay: 100,
  serviceReceivesPerMonth: 4,
  callsPerMinute: 60,
  previewsByWxnamePerDay: 100,
  sendByOpenidAccounts: "verified_service",
  digestKeyWithoutClientMsgId: true,
  agreementAccepted: true,
  pace: "instant",
  chunkSize: 10_000,
  chunkPauseMs: 0,
  liveMessagesUpTo: 1_000,
};

export const massPolicies = scopedPolicies("mass_policies", DEFAULT_MASS_POLICY);

/** speed/get's `realspeed` (10 000 messages a minute) by level (documented table, §14.1). */
export const REAL_SPEED = [80, 60, 45, 30, 10] as const;
