/** `message/mass/*` endpoints (mass-send.md §4–8, §14). */
import { catalog, ErrorCode } from "@mpstack/protocol";
import type { Account } from "../../account.js";
import { ok, WechatApiError } from "../../http/errors.js";
import { recordBulkMessages } from "../conversations/index.js";
import { countFans } from "../follower-tags/index.js";
import { parseArticleRef } from "../materials/index.js";
import { countFollowers } from "../simulated-users/index.js";
import { checkKey, checkPreviewQuota, checkQuota, clientKey, type MinuteWindow } from "./admission.js";
import type { MassContext } from "./context.js";
import { allocateIds, findJob, getSpeed, jobRow, setSpeed } from "./jobs.js";
import { contentKey, type MassMessage, messageShape, resolveMedia, rowPayload } from "./message.js";
import { checkOriginality } from "./originality.js";
import { massPolicies, REAL_SPEED } from "./policy.js";
import { listScope, previewScope, type Scope, scopeKey, sendAllScope } from "./recipients.js";
import type { MassRunner } from "./runner.js";

type Obj = Record<string, unknown>;
const invalidMsgId = () => new WechatApiError(ErrorCode.InvalidMsgId);

interface Plan {
  scope: Scope;
  message: MassMessage;
  key: string;
  ignoreReprint: boolean;
}

export function implementMassApi(ctx: MassContext, runner: MassRunner, minute: MinuteWindow): void {
  const { db } = ctx;

  /** §4's order: minute limit, message, recipients, media, clientmsgid, quota. */
  const plan = async (kind: "sendall" | "send", body: Obj, account: Account, now: number): Promise<Plan> => {
    const policy = await massPolicies.of(db, account.appid);
    minute.take(account.appid, now, policy.callsPerMinute);
    if (kind === "send" && policy.sendByOpenidAccounts === "verified_service" && account.type !== "service")
      throw new WechatApiError(ErrorCode.ApiUnauthorized);
    const shape = messageShape(body, account);
    const scope =
      kind === "sendall"
        ? await sendAllScope(db, account.appid, body.filter)
        : await listScope(db, account.appid, body.touser);
    const message = await resolveMedia(db, account.appid, shape, now);
    const key = clientKey(body.clientmsgid, scopeKey(scope), contentKey(message), policy);
    await checkKey(db, account.appid, key, now);
    await checkQuota(db, account, scope.scope === "all", now, policy);
    const ignore = body.send_ignore_reprint;
    return { scope, message, key, ignoreReprint: ignore === 1 || ignore === "1" };
  };

  const expectedOf = async (appid: string, s: Scope) =>
    s.scope === "all"
      ? countFollowers(db, appid)
      : s.scope === "tag"
        ? countFans(db, appid, s.tagId)
        : s.scope === "list"
          ? s.openids.length
          : 1;

  const submit = async (kind: "sendall" | "send", p: Plan, account: Account, now: number) => {
    const { scope, message } = p;
    const ids = await allocateIds(db, account.appid, message.msgtype === "mpnews");
    const originality = checkOriginality(message.mpnews?.articles, p.ignoreReprint);
    await db
      .insertInto("mass_jobs")
      .values(
        jobRow({
          appid: account.appid,
          msg_id: ids.msgId,
          msg_data_id: ids.dataId,
          kind,
          scope: scope.scope,
          tag_id: scope.scope === "tag" ? scope.tagId : null,
          openids: scope.scope === "list" ? JSON.stringify(scope.openids) : null,
          is_to_all: scope.scope === "all" ? 1 : 0,
          msgtype: message.msgtype,
          message: JSON.stringify(message),
          payload: JSON.stringify(rowPayload(message, ids.msgId, ids.dataId)),
          client_key: p.key,
          send_ignore_reprint: p.ignoreReprint ? 1 : 0,
          status: "SENDING",
          result: originality.stop ?? "",
          copyright: JSON.stringify(originality.copyright),
          expected: await expectedOf(account.appid, scope),
          snapshot_at: now,
          by_wxname: 0,
          created_at: now,
        }),
      )
      .execute();
    ctx.events.emit("mass.job", {
      appid: account.appid,
      msgId: ids.msgId,
      kind,
      status: "SENDING",
      expected: 0,
      total: 0,
      skipped: 0,
      sent: 0,
      errors: 0,
    });
    runner.enqueue(account.appid, ids.msgId);
    return {
      errcode: 0,
      errmsg: "send job submission success",
      msg_id: Number(ids.msgId),
      ...(ids.dataId ? { msg_data_id: Number(ids.dataId) } : {}),
    };
  };

  ctx.implement(
    catalog.mass.sendAll,
    (body, { account, now }) => plan("sendall", body, account, now),
    ({ input, account, now }) => submit("sendall", input, account, now),
  );
  ctx.implement(
    catalog.mass.send,
    (body, { account, now }) => plan("send", body, account, now),
    ({ input, account, now }) => submit("send", input, account, now),
  );

  ctx.implement(
    catalog.mass.preview,
    async (body, { account, now }) => {
      const policy = await massPolicies.of(db, account.appid);
      minute.take(account.appid, now, policy.callsPerMinute);
      const shape = messageShape(body, account);
      const scope = await previewScope(db, account.appid, body);
      const message = await resolveMedia(db, account.appid, shape, now);
      if (scope.scope === "one" && scope.byWxname) await checkPreviewQuota(db, account.appid, now, policy);
      return { scope, message };
    },
    async ({ input, account, now }) => {
      const { scope, message } = input;
      if (scope.scope !== "one") throw new Error("preview needs one recipient");
      const ids = await allocateIds(db, account.appid, false);
      const payload = JSON.stringify({ ...rowPayload(message, ids.msgId, null), preview: true });
      const saved = await db.transaction().execute(async (trx) => {
        await trx
          .insertInto("mass_jobs")
          .values({
            ...jobRow({
              appid: account.appid,
              msg_id: ids.msgId,
              msg_data_id: null,
              kind: "preview",
              scope: "one",
              tag_id: null,
              openids: JSON.stringify([scope.openid]),
              is_to_all: 0,
              msgtype: message.msgtype,
              message: JSON.stringify(message),
              payload,
              client_key: "",
              send_ignore_reprint: 0,
              status: "SEND_SUCCESS",
              result: "send success",
              copyright: "{}",
              expected: 1,
              snapshot_at: now,
              by_wxname: scope.byWxname ? 1 : 0,
              created_at: now,
            }),
            total: 1,
            sent: 1,
            finished_at: now,
            finish_pushed: 1,
          })
          .execute();
        return recordBulkMessages(
          trx,
          ctx.dialect === "postgres",
          {
            appid: account.appid,
            direction: "out",
            kind: "mass_preview",
            msgType: message.msgtype,
            payloadJson: payload,
            msgId: ids.msgId,
            createdAt: now,
          },
          [{ userId: scope.userId, openid: scope.openid }],
          true,
        );
      });
      for (const m of saved) ctx.events.emit("conversation.message", m);
      return { errcode: 0, errmsg: "preview success", msg_id: Number(ids.msgId) };
    },
  );

  ctx.implement(
    catalog.mass.delete,
    async (body, { account }) => {
      let job = undefined as Awaited<ReturnType<typeof findJob>>;
      let idx = 0;
      if (body.msg_id !== undefined && body.msg_id !== null && body.msg_id !== "") {
        job = await findJob(db, account.appid, String(body.msg_id));
        const raw = body.article_idx ?? 0;
        idx = typeof raw === "string" ? Number(raw) : (raw as number);
      } else if (typeof body.url === "string") {
        const ref = parseArticleRef(body.url);
        if (ref?.source === "m" && ref.appid === account.appid) {
          job = await findJob(db, account.appid, ref.id);
          idx = ref.idx;
        }
      }
      if (!job || job.kind === "preview" || job.status !== "SEND_SUCCESS") throw invalidMsgId();
      if (job.msgtype !== "mpnews" && job.msgtype !== "mpvideo")
        throw new WechatApiError(ErrorCode.InvalidMessageType);
      const count =
        job.msgtype === "mpnews"
          ? ((JSON.parse(job.message) as MassMessage).mpnews?.articles.length ?? 0)
          : 1;
      if (!Number.isInteger(idx) || idx < 0 || idx > count || (job.msgtype === "mpvideo" && idx > 1))
        throw new WechatApiError(ErrorCode.InvalidArticleIdx);
      return { job, idx, count };
    },
    async ({ input }) => {
      const { job, idx, count } = input;
      const deleted = new Set<number>(JSON.parse(job.deleted) as number[]);
      if (idx === 0) for (let i = 1; i <= count; i++) deleted.add(i);
      else deleted.add(idx);
      await db
        .updateTable("mass_jobs")
        .set({
          deleted: JSON.stringify([...deleted].sort((a, b) => a - b)),
          status: deleted.size >= count ? "DELETE" : job.status,
        })
        .where("appid", "=", job.appid)
        .where("msg_id", "=", job.msg_id)
        .execute();
      return ok();
    },
  );

  ctx.implement(catalog.mass.get, async ({ input, account }) => {
    const job = await findJob(db, account.appid, String(input.msg_id));
    if (!job || job.kind === "preview") throw invalidMsgId();
    return { msg_id: Number(job.msg_id), msg_status: job.status };
  });

  ctx.implement(catalog.mass.getSpeed, async ({ account }) => {
    const speed = await getSpeed(db, account.appid);
    return { speed, realspeed: REAL_SPEED[speed] ?? REAL_SPEED[0] };
  });

  ctx.implement(
    catalog.mass.setSpeed,
    (body) => {
      if (body.speed === undefined || body.speed === null || body.speed === "")
        throw new WechatApiError(ErrorCode.NoSpeedMessage);
      const speed = typeof body.speed === "string" ? Number(body.speed) : body.speed;
      if (typeof speed !== "number" || !Number.isInteger(speed) || speed < 0 || speed > 4)
        throw new WechatApiError(ErrorCode.SpeedOutOfRange);
      return { speed };
    },
    async ({ input, account }) => {
      await setSpeed(db, account.appid, input.speed);
      return ok();
    },
  );
}
