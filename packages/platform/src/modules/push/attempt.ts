/**
 * One delivery attempt of a push: seal the stored XML for the account's mode (or reuse the first
 * attempt's query and body when the policy says so), POST it with the attempt's timeout, judge the
 * answer, and describe the attempt as the outbox records it. The engine (engine.ts) decides about
 * retries and writes the record.
 */
import { sealInbound } from "@mpstack/protocol";
import type { Account } from "../../account.js";
import type { Clock } from "../../clock.js";
import { type Agents, exchange, randomDigits, withQuery } from "./delivery.js";
import { cryptoFor, judge } from "./judge.js";
import type { PushAttemptRecord } from "./outbox.js";
import type { PushPolicy } from "./policy.js";
import type { PushTable } from "./tables.js";

export interface AttemptDeps {
  agents: Agents;
  clock: Clock;
  /** Aborted when the platform closes: the attempt is interrupted, not recorded. */
  signal: AbortSignal;
}

export interface AttemptInput {
  account: Account;
  row: PushTable;
  /** 1 for the first delivery. */
  n: number;
  policy: PushPolicy;
  /** The first attempt's sealed query and body (`reuseSignature`). */
  reused: { query: Record<string, string>; body: string } | undefined;
}

export async function attemptDelivery(deps: AttemptDeps, a: AttemptInput) {
  const { account, row, n, policy, reused } = a;
  const { server } = account;
  const crypto = server.mode === "plain" ? undefined : cryptoFor(account.appid, server.encodingAESKey);
  const sealed =
    reused ??
    sealInbound({
      xml: row.xml,
      mode: server.mode,
      token: server.token,
      crypto,
      timestamp: String(deps.clock.nowSeconds()),
      nonce: randomDigits(10),
      openid: row.openid,
      appId: account.appid,
      toUserName: account.originalId,
    });
  const url = withQuery(server.url, sealed.query);
  const startedAt = deps.clock.now();
  const r = await exchange(deps.agents, {
    method: "POST",
    url,
    body: sealed.body,
    timeoutMs: policy.timeoutMs,
    signal: deps.signal,
  });
  const judgement = judge(
    r,
    { mode: server.mode, token: server.token, crypto, maxArticles: row.news_limit },
    policy.timeoutMs,
  );
  const record: PushAttemptRecord = {
    attempt: n,
    startedAt,
    latencyMs: r.latencyMs,
    request: { url: server.url, query: sealed.query, body: sealed.body },
    outcome: judgement.outcome,
  };
  if (r.kind === "answer") record.response = { status: r.status, body: r.body };
  else if (r.kind === "too_large") record.response = { status: r.status, body: "" };
  if ("error" in judgement) record.error = judgement.error;
  return { record, judgement };
}
