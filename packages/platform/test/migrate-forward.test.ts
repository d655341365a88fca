/**
 * A data folder written by the platform before the module graph (commit 6446532: modules `users`,
 * `user-api`, `tags`, with columns added to `follows` by the latter two) opens with today's code
 * and reads the same: tags, remarks, blacklist, legacy group, menu, QR code. The folder was made by
 * fixtures/data-6446532/make.mts run in a checkout of that commit; it is kept gzipped.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, start, tempDir, tokenFor } from "./helpers.js";

const FIXTURE = new URL("./fixtures/data-6446532/mpstack.db.gz", import.meta.url);
const VV = "wxd000000000000004";
const OPENIDS = {
  alice: "oKkTOboENIXdUG6BYYFy_hL7JRQL",
  bob: "oKkTOblJEqzrZvG6So16xRJHqqnG",
  carol: "oKkTObD4S3T6O8EmVUWIhkSW7nEI",
};

describe("a data folder of commit 6446532", () => {
  let r: Running;
  let dir: string;
  let token: string;
  beforeAll(async () => {
    dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "mpstack.db"), gunzipSync(readFileSync(FIXTURE)));
    r = await start({ dataDir: dir });
    token = await tokenFor(r, VV, "d0000000000000000000000000000004");
  });
  afterAll(async () => {
    await r?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const get = async (path: string) =>
    (await r.get(`/cgi-bin/${path}${path.includes("?") ? "&" : "?"}access_token=${token}`)).body;
  const post = async (path: string, body: unknown) =>
    (await r.post(`/cgi-bin/${path}?access_token=${token}`, body)).body;

  it("runs only the new migrations and keeps the old ones' record", async () => {
    const ids = (
      await sql<{ id: string }>`select id from mpstack_migrations`.execute(r.platform.db)
    ).rows.map((x) => x.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "tags.001_tags_groups",
        "user-api.001_remark_blacklist_list",
        "users.002_follows_groupid",
        "web-identity.001_keys",
      ]),
    );
  });

  it("reads followers' remarks, tags and legacy groups as they were written", async () => {
    const alice = await get(`user/info?openid=${OPENIDS.alice}`);
    expect(alice).toMatchObject({ subscribe: 1, remark: "Alice W.", tagid_list: [100], groupid: 0 });
    const bob = await get(`user/info?openid=${OPENIDS.bob}`);
    expect(bob).toMatchObject({ tagid_list: [100], groupid: 100 });
    expect(await post("tags/get", {})).toMatchObject({
      tags: expect.arrayContaining([{ id: 100, name: "vip", count: 2 }]),
    });
    expect(await post("groups/getid", { openid: OPENIDS.bob })).toMatchObject({ groupid: 100 });
  });

  it("keeps the blacklist, the menu and the QR code", async () => {
    expect(await post("tags/members/getblacklist", { begin_openid: "" })).toMatchObject({
      total: 1,
      data: { openid: [OPENIDS.carol] },
    });
    const menu = await get("menu/get");
    expect(menu.menu).toMatchObject({ button: [{ type: "click", name: "Hello", key: "HELLO" }] });
    const codes = (await r.get(`/_mpstack/accounts/${VV}/qrcodes`)).body.qrcodes as {
      scene: unknown;
      permanent: boolean;
    }[];
    expect(codes).toHaveLength(1);
    expect(codes[0]).toMatchObject({ permanent: true });
  });

  it("writes the moved columns through their new owner", async () => {
    expect(await post("user/info/updateremark", { openid: OPENIDS.bob, remark: "Bob" })).toMatchObject({
      errcode: 0,
    });
    expect(await post("groups/members/update", { openid: OPENIDS.alice, to_groupid: 100 })).toMatchObject({
      errcode: 0,
    });
    expect(await get(`user/info?openid=${OPENIDS.alice}`)).toMatchObject({
      remark: "Alice W.",
      groupid: 100,
    });
    expect(await get(`user/info?openid=${OPENIDS.bob}`)).toMatchObject({ remark: "Bob" });
  });
});
