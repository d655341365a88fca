/**
 * The accounts of a stand-alone bot, from the environment: `ECHO_BOT_ACCOUNTS` (JSON array of
 * EchoBotAccount), else `mpstack exec`'s `MPSTACK_APPID_N`/`MPSTACK_SECRET_N`/`MPSTACK_TOKEN_N`/
 * `MPSTACK_AES_KEY_N`, else the platform's four demo accounts (their credentials are public).
 */
import type { EchoBotAccount } from "./bot.js";

export const DEMO_ACCOUNTS: readonly EchoBotAccount[] = [1, 2, 3, 4].map((n) => ({
  appId: `wxd${String(n).padStart(15, "0")}`,
  appSecret: `d${String(n).padStart(31, "0")}`,
  token: "mpstackdemo",
  encodingAESKey: `mpstackDemoEncodingAESKey${String(n).padStart(18, "0")}`,
}));

function isAccount(value: unknown): value is EchoBotAccount {
  const a = value as Partial<Record<keyof EchoBotAccount, unknown>> | null;
  return (
    typeof a === "object" &&
    a !== null &&
    typeof a.appId === "string" &&
    typeof a.appSecret === "string" &&
    typeof a.token === "string" &&
    (a.encodingAESKey === undefined || typeof a.encodingAESKey === "string") &&
    (a.originalId === undefined || typeof a.originalId === "string")
  );
}

export function accountsFromEnv(env: NodeJS.ProcessEnv): EchoBotAccount[] {
  if (env.ECHO_BOT_ACCOUNTS) {
    const parsed: unknown = JSON.parse(env.ECHO_BOT_ACCOUNTS);
    if (!Array.isArray(parsed) || !parsed.every(isAccount))
      throw new Error(
        "ECHO_BOT_ACCOUNTS: a JSON array of { appId, appSecret, token, encodingAESKey?, originalId? }",
      );
    return parsed;
  }
  const fromExec: EchoBotAccount[] = [];
  for (let n = 1; env[`MPSTACK_APPID_${n}`]; n++) {
    const aesKey = env[`MPSTACK_AES_KEY_${n}`];
    fromExec.push({
      appId: env[`MPSTACK_APPID_${n}`] ?? "",
      appSecret: env[`MPSTACK_SECRET_${n}`] ?? "",
      token: env[`MPSTACK_TOKEN_${n}`] ?? "",
      ...(aesKey ? { encodingAESKey: aesKey } : {}),
    });
  }
  return fromExec.length > 0 ? fromExec : DEMO_ACCOUNTS.map((a) => ({ ...a }));
}

/**
 * Fills in missing original ids from the platform's simulator API (loopback), so the shared path
 * `/wechat` works without configuring them. Against WeChat, set `originalId` yourself.
 */
export async function withOriginalIds(
  accounts: readonly EchoBotAccount[],
  platformUrl: string | undefined,
): Promise<EchoBotAccount[]> {
  if (!platformUrl) return [...accounts];
  return Promise.all(
    accounts.map(async (a) => {
      if (a.originalId) return a;
      try {
        const res = await fetch(`${platformUrl}/_mpstack/accounts/${encodeURIComponent(a.appId)}`);
        if (!res.ok) return a;
        const body = (await res.json()) as { originalId?: unknown; name?: unknown };
        return {
          ...a,
          ...(typeof body.originalId === "string" ? { originalId: body.originalId } : {}),
          ...(a.name === undefined && typeof body.name === "string" ? { name: body.name } : {}),
        };
      } catch {
        return a;
      }
    }),
  );
}
