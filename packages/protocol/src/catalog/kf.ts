/**
 * Multi-customer-service (多客服, spec/customer-service.md §5–§7): customer-service accounts and
 * their workers, sessions and the waiting queue, and chat records. Note the two path prefixes:
 * `/customservice/...` for most, `/cgi-bin/customservice/...` for the two lists. Query endpoints
 * answer without `errcode` on success, as WeChat does.
 */
import { Type } from "@sinclair/typebox";
import { Ok, OpenId, UploadFile } from "../schemas.js";
import { endpoint, group } from "./endpoint.js";

const KfAccount = Type.String();

const KfInfo = Type.Object({
  kf_account: Type.String(),
  kf_nick: Type.String(),
  kf_id: Type.String(),
  kf_headimgurl: Type.String(),
  /** The bound worker's WeChat ID. */
  kf_wx: Type.Optional(Type.String()),
  invite_wx: Type.Optional(Type.String()),
  invite_expire_time: Type.Optional(Type.Integer()),
  /** `waiting`, `rejected` or `expired`. */
  invite_status: Type.Optional(Type.String()),
});

const OnlineKf = Type.Object({
  kf_account: Type.String(),
  /** 1 = online on the web tool. */
  status: Type.Integer(),
  kf_id: Type.String(),
  auto_accept: Type.Integer(),
  accepted_case: Type.Integer(),
});

export const kf = group("kf", {
  /**
   * 添加客服账号
   *
   * Add a customer-service account `prefix@<account WeChat ID>`.
   *
   * See spec/customer-service.md §5.1.
   */
  addAccount: endpoint({
    title: "添加客服账号",
    method: "POST",
    host: "api",
    path: "/customservice/kfaccount/add",
    permission: "kf.records",
    request: Type.Object({
      kf_account: KfAccount,
      nickname: Type.String(),
      /** Legacy (MD5 of a password for the old desktop tool); ignored. */
      password: Type.Optional(Type.String()),
      business_id: Type.Optional(Type.String()),
    }),
    response: Ok,
  }),
  /**
   * 设置客服信息
   *
   * Change a customer-service account's nickname.
   *
   * See spec/customer-service.md §5.2.
   */
  updateAccount: endpoint({
    title: "设置客服信息",
    method: "POST",
    host: "api",
    path: "/customservice/kfaccount/update",
    permission: "kf.records",
    request: Type.Object({
      kf_account: KfAccount,
      nickname: Type.String(),
      password: Type.Optional(Type.String()),
    }),
    response: Ok,
  }),
  /**
   * 删除客服账号
   *
   * Delete a customer-service account (its open sessions close).
   *
   * See spec/customer-service.md §5.3.
   */
  delAccount: endpoint({
    title: "删除客服账号",
    method: "GET",
    host: "api",
    path: "/customservice/kfaccount/del",
    permission: "kf.records",
    request: Type.Object({ kf_account: KfAccount }),
    response: Ok,
  }),
  /**
   * 上传客服头像
   *
   * Set a customer-service account's avatar (JPEG, ≤ 5 MB, file field `media`).
   *
   * See spec/customer-service.md §5.4.
   */
  uploadHeadImg: endpoint({
    title: "上传客服头像",
    method: "POST",
    host: "api",
    path: "/customservice/kfaccount/uploadheadimg",
    permission: "kf.records",
    // Optional in the schema: the platform reads the file part itself (41005 when it is missing).
    request: Type.Object({ kf_account: KfAccount, media: Type.Optional(UploadFile) }),
    requestIn: "multipart",
    queryKeys: ["kf_account"],
    response: Ok,
  }),
  /**
   * 邀请绑定客服账号
   *
   * Invite a WeChat user (by WeChat ID) to work as this customer-service account.
   *
   * See spec/customer-service.md §5.7.
   */
  inviteWorker: endpoint({
    title: "邀请绑定客服账号",
    method: "POST",
    host: "api",
    path: "/customservice/kfaccount/inviteworker",
    permission: "kf.records",
    request: Type.Object({ kf_account: KfAccount, invite_wx: Type.String() }),
    response: Ok,
  }),
  /**
   * 获取客服基本信息
   *
   * Every customer-service account with its worker or invitation.
   *
   * See spec/customer-service.md §5.5.
   */
  getKfList: endpoint({
    title: "获取客服基本信息",
    method: "GET",
    host: "api",
    path: "/cgi-bin/customservice/getkflist",
    permission: "kf.records",
    request: Type.Object({ business_id: Type.Optional(Type.String()) }),
    response: Type.Object({ kf_list: Type.Array(KfInfo) }),
  }),
  /**
   * 获取在线客服接待信息
   *
   * The accounts whose worker is online, with the sessions each serves.
   *
   * See spec/customer-service.md §5.6.
   */
  getOnlineKfList: endpoint({
    title: "获取在线客服接待信息",
    method: "GET",
    host: "api",
    path: "/cgi-bin/customservice/getonlinekflist",
    permission: "kf.records",
    request: Type.Object({}),
    response: Type.Object({ kf_online_list: Type.Array(OnlineKf) }),
  }),
  /**
   * 创建会话
   *
   * Open a session between an online customer-service account and a user.
   *
   * See spec/customer-service.md §6.1.
   */
  createSession: endpoint({
    title: "创建会话",
    method: "POST",
    host: "api",
    path: "/customservice/kfsession/create",
    permission: "kf.records",
    request: Type.Object({
      kf_account: KfAccount,
      openid: OpenId,
      /** Legacy note; ignored. */
      text: Type.Optional(Type.String()),
    }),
    response: Ok,
  }),
  /**
   * 关闭会话
   *
   * Close a user's session with a customer-service account.
   *
   * See spec/customer-service.md §6.2.
   */
  closeSession: endpoint({
    title: "关闭会话",
    method: "POST",
    host: "api",
    path: "/customservice/kfsession/close",
    permission: "kf.records",
    request: Type.Object({
      kf_account: KfAccount,
      openid: OpenId,
      text: Type.Optional(Type.String()),
    }),
    response: Ok,
  }),
  /**
   * 获取客户会话状态
   *
   * Which customer-service account serves a user (empty when none).
   *
   * See spec/customer-service.md §6.3.
   */
  getSession: endpoint({
    title: "获取客户会话状态",
    method: "GET",
    host: "api",
    path: "/customservice/kfsession/getsession",
    permission: "kf.records",
    request: Type.Object({ openid: OpenId }),
    response: Type.Object({ createtime: Type.Integer(), kf_account: Type.String() }),
  }),
  /**
   * 获取客服会话列表
   *
   * The sessions one customer-service account serves.
   *
   * See spec/customer-service.md §6.4.
   */
  getSessionList: endpoint({
    title: "获取客服会话列表",
    method: "GET",
    host: "api",
    path: "/customservice/kfsession/getsessionlist",
    permission: "kf.records",
    request: Type.Object({ kf_account: KfAccount }),
    response: Type.Object({
      sessionlist: Type.Array(Type.Object({ createtime: Type.Integer(), openid: Type.String() })),
    }),
  }),
  /**
   * 获取未接入会话列表
   *
   * Users waiting for a customer-service account (the 100 earliest; `count` is the total).
   *
   * See spec/customer-service.md §6.5.
   */
  getWaitCase: endpoint({
    title: "获取未接入会话列表",
    method: "GET",
    host: "api",
    path: "/customservice/kfsession/getwaitcase",
    permission: "kf.records",
    request: Type.Object({}),
    response: Type.Object({
      count: Type.Integer(),
      waitcaselist: Type.Array(
        Type.Object({
          latest_time: Type.Integer(),
          openid: Type.String(),
          /** Only when the transfer named a customer-service account. */
          kf_account: Type.Optional(Type.String()),
        }),
      ),
    }),
  }),
  /**
   * 获取聊天记录
   *
   * Chat records (2002 sent by a worker, 2003 received), at most 24 hours per call, paged by msgid.
   *
   * See spec/customer-service.md §7.1.
   */
  getMsgList: endpoint({
    title: "获取聊天记录",
    method: "POST",
    host: "api",
    path: "/customservice/msgrecord/getmsglist",
    permission: "kf.records",
    request: Type.Object({
      starttime: Type.Integer(),
      endtime: Type.Integer(),
      msgid: Type.Integer(),
      number: Type.Integer(),
    }),
    response: Type.Object({
      recordlist: Type.Array(
        Type.Object({
          openid: Type.String(),
          opercode: Type.Integer(),
          text: Type.String(),
          time: Type.Integer(),
          worker: Type.String(),
        }),
      ),
      number: Type.Integer(),
      msgid: Type.Integer(),
    }),
  }),
});
