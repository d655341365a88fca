/**
 * The URL verification handshake (callback.md §2): `GET <URL>?signature&timestamp&nonce&echostr`,
 * accepted only when the server answers 200 with exactly the echostr within the time limit. The
 * negative probe sends a wrong signature and passes only when the server refuses it.
 */
import { randomBytes } from "node:crypto";
import { computeSignature } from "@mpstack/protocol";
import type { Clock } from "../../clock.js";
import { type Agents, exchange, randomDigits, withQuery } from "./delivery.js";

export type HandshakeResult =
  | "ok"
  | "wrong_echo"
  | "http_status"
  | "timeout"
  | "network_error"
  | "accepted_bad_signature";

export interface HandshakeReport {
  ok: boolean;
  result: HandshakeResult;
  /** A sentence for people. */
  reason: string;
  url: string;
  status: number | null;
  latencyMs: number;
  /** What was sent (the GET's query) and what came back (cut at 200 characters). */
  query: Record<string, string>;
  answer: string | null;
}

export interface HandshakeInput {
  url: string;
  token: string;
  timeoutMs: number;
  /** Send a wrong signature: the check passes only if the server refuses to echo. */
  wrongSignature?: boolean;
}

export async function handshake(
  agents: Agents,
  clock: Clock,
  input: HandshakeInput,
): Promise<HandshakeReport> {
  const timestamp = String(clock.nowSeconds());
  const nonce = randomDigits(10);
  const echostr = randomDigits(19);
  const signature = input.wrongSignature
    ? randomBytes(20).toString("hex")
    : computeSignature(input.token, timestamp, nonce);
  const query = { signature, timestamp, nonce, echostr };
  const r = await exchange(agents, {
    method: "GET",
    url: withQuery(input.url, query),
    timeoutMs: input.timeoutMs,
  });
  const base = { url: input.url, query, latencyMs: r.latencyMs };
  const answered = r.kind === "answer" ? r : null;
  const status = answered?.status ?? (r.kind === "too_large" ? r.status : null);
  const answer = answered ? answered.body.slice(0, 200) : null;
  // "No trailing newline needed" (callback.md §2): trailing whitespace is tolerated, nothing else.
  const echoed = answered !== null && answered.status === 200 && answered.body.trimEnd() === echostr;
  const report = (ok: boolean, result: HandshakeResult, reason: string): HandshakeReport => ({
    ok,
    result,
    reason,
    status,
    answer,
    ...base,
  });
  if (input.wrongSignature) {
    if (r.kind === "timeout")
      return report(true, "ok", "the server did not echo a wrong signature (it timed out)");
    if (r.kind === "network_error") return report(false, "network_error", `request failed: ${r.error}`);
    return echoed
      ? report(
          false,
          "accepted_bad_signature",
          "the server echoed echostr for a wrong signature: it does not verify signatures",
        )
      : report(true, "ok", `the server refused a wrong signature (HTTP ${status})`);
  }
  if (r.kind === "timeout")
    return report(
      false,
      "timeout",
      `no answer within ${input.timeoutMs} ms (the handshake must answer in time)`,
    );
  if (r.kind === "network_error") return report(false, "network_error", `request failed: ${r.error}`);
  if (status !== 200) return report(false, "http_status", `the server answered HTTP ${status}, not 200`);
  if (!echoed)
    return report(
      false,
      "wrong_echo",
      `the server answered ${JSON.stringify(answer)} instead of the echostr ${echostr}`,
    );
  return report(true, "ok", "the server echoed echostr");
}
