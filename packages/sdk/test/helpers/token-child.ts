/**
 * One of several processes sharing a Redis token store (run by token-redis tests through tsx).
 * Prints "ready", waits for "go" on stdin, makes concurrent calls, prints what it used as JSON.
 */
import { createInterface } from "node:readline";
import { createClient, RedisTokenStore } from "../../src/index.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const store = new RedisTokenStore(env("REDIS_URL"), { keyPrefix: env("KEY_PREFIX") });
const client = createClient({
  appId: env("APP_ID"),
  appSecret: env("APP_SECRET"),
  baseUrl: env("FAKE_URL"),
  tokenStore: store,
  tokenPollIntervalMs: 20,
});
const calls = Number(process.env.CALLS ?? "20");

const lines = createInterface({ input: process.stdin });
process.stdout.write("ready\n");
for await (const line of lines) {
  if (line.trim() !== "go") continue;
  const results = await Promise.all(Array.from({ length: calls }, () => client.getAccessToken()));
  await Promise.all(Array.from({ length: calls }, () => client.basic.getCallbackIp()));
  process.stdout.write(
    `${JSON.stringify({ tokens: [...new Set(results)], fetches: client.tokenFetchCount })}\n`,
  );
  break;
}
lines.close();
await store.close();
