/**
 * Simulated merchants: one per account holding the `pay` grant, made on demand (keys and
 * certificates generated with node:crypto), looked up by appid or mch_id, with the settings where
 * the spec leaves WeChat's behaviour open (retry schedule, delays, limits) as data.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import type { Account } from "../../account.js";
import { type Db, parseJsonColumn } from "../../db/schema.js";
import type { World } from "../../world.js";
import { listAccounts } from "../accounts/index.js";
import { mchIdFor, randomAlnum } from "./ids.js";
import type { PayMerchantTable } from "./tables.js";
import { selfSignedCertificate } from "./x509.js";

const generateKeyPairAsync = promisify(generateKeyPair);

/** Where the spec leaves WeChat's behaviour open: settings with the proposed defaults. */
export interface PaySettings {
  /** Pauses between notification attempts (documented v2 schedule: 15s … 6h, 24h4m in total). */
  notifyScheduleSeconds: number[];
  /** Wait this long for the merchant's answer per attempt (not documented; 5 s like pushes). */
  notifyTimeoutMs: number;
  /** A refund settles (PROCESSING → SUCCESS, notification sent) this long after it is accepted. */
  refundDelaySeconds: number;
  /** v2 closeorder is refused this soon after the order was made (documented: 5 minutes). */
  closeMinSeconds: number;
  /** A prepay_id works this long (documented: 2 hours). */
  prepaySeconds: number;
  /** Orders without time_expire close this long after creation (emulator: 2 hours). */
  orderExpireSeconds: number;
  /** Payment directories (支付目录): page URL prefixes allowed to pay; empty = not enforced. */
  payDirectories: string[];
  /** v3 requests whose Authorization timestamp is further than this from the clock are refused. */
  v3TimestampSkewSeconds: number;
}

export const DEFAULT_PAY_SETTINGS: Readonly<PaySettings> = {
  notifyScheduleSeconds: [
    15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
  ],
  notifyTimeoutMs: 5000,
  refundDelaySeconds: 0,
  closeMinSeconds: 300,
  prepaySeconds: 7200,
  orderExpireSeconds: 7200,
  payDirectories: [],
  v3TimestampSkewSeconds: 300,
};

export interface Merchant {
  appid: string;
  mchId: string;
  apiKey: string;
  apiV3Key: string;
  merchantSerial: string;
  merchantCert: string;
  merchantPrivateKeyPem: string;
  merchantPublicKey: KeyObject;
  platformSerial: string;
  platformCert: string;
  platformPrivateKey: KeyObject;
  settings: PaySettings;
  createdAt: number;
}

const keyCache = new Map<string, KeyObject>();
function cachedKey(pem: string, kind: "private" | "public"): KeyObject {
  const id = `${kind}:${pem}`;
  let k = keyCache.get(id);
  if (!k) {
    k = kind === "private" ? createPrivateKey(pem) : createPublicKey(pem);
    if (keyCache.size > 1000) keyCache.clear();
    keyCache.set(id, k);
  }
  return k;
}

function fromRow(r: PayMerchantTable): Merchant {
  return {
    appid: r.appid,
    mchId: r.mch_id,
    apiKey: r.api_key,
    apiV3Key: r.apiv3_key,
    merchantSerial: r.merchant_serial,
    merchantCert: r.merchant_cert,
    merchantPrivateKeyPem: r.merchant_private_key,
    merchantPublicKey: cachedKey(r.merchant_cert, "public"),
    platformSerial: r.platform_serial,
    platformCert: r.platform_cert,
    platformPrivateKey: cachedKey(r.platform_private_key, "private"),
    settings: { ...DEFAULT_PAY_SETTINGS, ...parseJsonColumn<Partial<PaySettings>>(r.settings, {}) },
    createdAt: Number(r.created_at),
  };
}

export async function merchantByAppid(db: Db, appid: string): Promise<Merchant | undefined> {
  const r = await db.selectFrom("pay_merchants").selectAll().where("appid", "=", appid).executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

export async function merchantByMchId(db: Db, mchId: string): Promise<Merchant | undefined> {
  const r = await db.selectFrom("pay_merchants").selectAll().where("mch_id", "=", mchId).executeTakeFirst();
  return r ? fromRow(r) : undefined;
}

export async function listMerchants(db: Db): Promise<Merchant[]> {
  return (await db.selectFrom("pay_merchants").selectAll().orderBy("appid").execute()).map(fromRow);
}

/**
 * The platform's signing key: one RSA key per process, each merchant getting its own platform
 * certificate (and serial) over it. WeChat issues platform keys per merchant; sharing one here is an
 * emulator choice that halves the cost of a new merchant (a 2048-bit key takes most of a second).
 */
let platformKey: ReturnType<typeof generateKeyPairAsync> | undefined;

async function newMerchantRow(account: Account, now: number): Promise<PayMerchantTable> {
  platformKey ??= generateKeyPairAsync("rsa", { modulusLength: 2048 });
  const [merchant, platform] = await Promise.all([
    generateKeyPairAsync("rsa", { modulusLength: 2048 }),
    platformKey,
  ]);
  const mchId = mchIdFor(account.appid);
  const merchantCert = selfSignedCertificate(
    { commonName: mchId, organization: account.name || "mpstack merchant", unit: "mpstack" },
    merchant.publicKey,
    merchant.privateKey,
    now - 86_400_000,
    5 * 365,
  );
  const platformCert = selfSignedCertificate(
    { commonName: "Tenpay.com Root CA (mpstack)", organization: "mpstack WeChat Pay platform" },
    platform.publicKey,
    platform.privateKey,
    now - 86_400_000,
    5 * 365,
  );
  return {
    appid: account.appid,
    mch_id: mchId,
    api_key: randomAlnum(32),
    apiv3_key: randomAlnum(32),
    merchant_private_key: merchant.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    merchant_cert: merchantCert.pem,
    merchant_serial: merchantCert.serial,
    platform_private_key: platform.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    platform_cert: platformCert.pem,
    platform_serial: platformCert.serial,
    settings: "{}",
    created_at: now,
  };
}

const creating = new Map<string, Promise<void>>();

/**
 * Make the merchants of accounts with the pay grant that have none yet, of those `wanted` picks
 * (single-flight per appid).
 */
export async function syncMerchants(w: World, wanted: (a: Account) => boolean): Promise<void> {
  const accounts = (await listAccounts(w.db)).filter((a) => a.grants.includes("pay") && wanted(a));
  if (accounts.length === 0) return;
  const have = new Set(
    (await w.db.selectFrom("pay_merchants").select("appid").execute()).map((r) => r.appid),
  );
  await Promise.all(
    accounts
      .filter((a) => !have.has(a.appid))
      .map((a) => {
        let p = creating.get(a.appid);
        if (!p) {
          p = (async () => {
            const row = await newMerchantRow(a, w.clock.now());
            await w.db
              .insertInto("pay_merchants")
              .values(row)
              .onConflict((oc) => oc.column("appid").doNothing())
              .execute();
          })().finally(() => creating.delete(a.appid));
          creating.set(a.appid, p);
        }
        return p;
      }),
  );
}

export interface MerchantChange {
  apiKey?: string;
  apiV3Key?: string;
  settings?: Partial<PaySettings>;
}

export async function updateMerchant(w: World, m: Merchant, change: MerchantChange): Promise<void> {
  const settings = { ...parseJsonColumn<Partial<PaySettings>>(JSON.stringify(m.settings), {}) };
  for (const [k, v] of Object.entries(change.settings ?? {})) {
    if (v !== undefined) (settings as Record<string, unknown>)[k] = v;
  }
  await w.db
    .updateTable("pay_merchants")
    .set({
      ...(change.apiKey !== undefined ? { api_key: change.apiKey } : {}),
      ...(change.apiV3Key !== undefined ? { apiv3_key: change.apiV3Key } : {}),
      settings: JSON.stringify(settings),
    })
    .where("appid", "=", m.appid)
    .execute();
}

/** What the simulator shows of a merchant (keys included: this is a developer's own sandbox). */
export function merchantView(m: Merchant) {
  return {
    appid: m.appid,
    mchId: m.mchId,
    apiKey: m.apiKey,
    apiV3Key: m.apiV3Key,
    merchantSerialNo: m.merchantSerial,
    merchantCertificate: m.merchantCert,
    merchantPrivateKey: m.merchantPrivateKeyPem,
    platformSerialNo: m.platformSerial,
    platformCertificate: m.platformCert,
    settings: m.settings,
    createdAt: m.createdAt,
  };
}
