/**
 * Spec examples (template.md, customer-service.md §5–§7) for the template, subscribe and kf groups
 * of the catalog, read by catalog.test.ts beside the other areas' examples.
 */
const OPENID = "oAbCd1234567890efghijklmnopq";
const TEMPLATE_ID = "KnGO3ciADW18zOl2DFJX1-XwtiQW0GRBxXGxDXs7P-l";

export const TEMPLATE_REQUESTS: [id: string, value: unknown][] = [
  ["template.setIndustry", { industry_id1: "1", industry_id2: "13" }],
  ["template.addTemplate", { template_id_short: "TM00015" }],
  [
    "template.addTemplate",
    { template_id_short: "51840", keyword_name_list: ["订单编号", "商品名称", "支付金额"] },
  ],
  ["template.delPrivateTemplate", { template_id: TEMPLATE_ID }],
  [
    "template.send",
    {
      touser: OPENID,
      template_id: TEMPLATE_ID,
      url: "https://shop.example.com/order/4711",
      miniprogram: { appid: "wx00000000000000aa", pagepath: "pages/order/detail?id=4711" },
      client_msg_id: "order-4711-shipped",
      data: { character_string1: { value: "4711" }, amount3: { value: "￥39.80" } },
    },
  ],
  [
    "template.send",
    {
      touser: OPENID,
      template_id: TEMPLATE_ID,
      data: { first: { value: "Purchase successful", color: "#173177" }, keyword1: { value: "Chocolate" } },
    },
  ],
  ["template.queryBlockTmplMsg", { tmpl_msg_id: TEMPLATE_ID, largest_id: 0, limit: 100 }],
  [
    "template.subscribeOnce",
    {
      touser: OPENID,
      template_id: TEMPLATE_ID,
      url: "https://example.com/ticket/88",
      scene: "1000",
      title: "Ticket update",
      data: { content: { value: "Your ticket #88 has been answered.", color: "#173177" } },
    },
  ],
  ["subscribe.getPubTemplateTitles", { ids: "307", start: 0, limit: 30 }],
  ["subscribe.getPubTemplateKeywords", { tid: "4210" }],
  ["subscribe.addTemplate", { tid: "4210", kidList: [1, 2], sceneDesc: "parcel pickup" }],
  ["subscribe.delTemplate", { priTmplId: TEMPLATE_ID }],
  [
    "subscribe.bizsend",
    {
      touser: OPENID,
      template_id: TEMPLATE_ID,
      page: "https://example.com/p",
      data: { thing2: { value: "东门快递柜" } },
    },
  ],
  ["kf.addAccount", { kf_account: "alice@demoacct", nickname: "Alice" }],
  ["kf.updateAccount", { kf_account: "alice@demoacct", nickname: "Alice" }],
  ["kf.delAccount", { kf_account: "alice@demoacct" }],
  ["kf.inviteWorker", { kf_account: "alice@demoacct", invite_wx: "alice_wx" }],
  ["kf.createSession", { kf_account: "alice@demoacct", openid: OPENID }],
  ["kf.closeSession", { kf_account: "alice@demoacct", openid: OPENID }],
  ["kf.getSession", { openid: OPENID }],
  ["kf.getSessionList", { kf_account: "alice@demoacct" }],
  ["kf.getMsgList", { starttime: 1700000000, endtime: 1700086000, msgid: 1, number: 10000 }],
];

export const TEMPLATE_RESPONSES: [id: string, value: unknown][] = [
  [
    "template.getIndustry",
    {
      primary_industry: { first_class: "IT科技", second_class: "互联网|电子商务" },
      secondary_industry: { first_class: "运输与仓储", second_class: "快递" },
    },
  ],
  ["template.addTemplate", { errcode: 0, errmsg: "ok", template_id: TEMPLATE_ID }],
  [
    "template.getAllPrivateTemplate",
    {
      template_list: [
        {
          template_id: TEMPLATE_ID,
          title: "订单发货通知",
          primary_industry: "IT科技",
          deputy_industry: "互联网|电子商务",
          content: "{{first.DATA}}\n订单号：{{keyword1.DATA}}\n{{remark.DATA}}",
          example: "您的订单已发货\n订单号：A1024\n感谢惠顾",
        },
      ],
    },
  ],
  ["template.send", { errcode: 0, errmsg: "ok", msgid: 200231457 }],
  ["subscribe.getCategory", { errcode: 0, errmsg: "ok", data: [{ id: 307, name: "物流" }] }],
  [
    "subscribe.getPubTemplateTitles",
    {
      errcode: 0,
      errmsg: "ok",
      count: 12,
      data: [{ tid: 4210, title: "取件提醒", type: 2, categoryId: "307" }],
    },
  ],
  [
    "subscribe.getPubTemplateKeywords",
    {
      errcode: 0,
      errmsg: "ok",
      count: 4,
      data: [{ kid: 1, name: "取件码", example: "A-1024", rule: "character_string" }],
    },
  ],
  ["subscribe.addTemplate", { errcode: 0, errmsg: "ok", priTmplId: TEMPLATE_ID }],
  [
    "subscribe.getTemplates",
    {
      errcode: 0,
      errmsg: "ok",
      data: [
        {
          priTmplId: TEMPLATE_ID,
          title: "取件提醒",
          content: "取件码:{{character_string1.DATA}}\n",
          example: "取件码:A-1024\n",
          type: 2,
        },
      ],
    },
  ],
  [
    "kf.getKfList",
    {
      kf_list: [
        {
          kf_account: "alice@demoacct",
          kf_nick: "Alice",
          kf_id: "1001",
          kf_headimgurl: "",
          kf_wx: "alice_wx",
        },
        {
          kf_account: "bob@demoacct",
          kf_nick: "Bob",
          kf_id: "1002",
          kf_headimgurl: "",
          invite_wx: "bob_wx",
          invite_expire_time: 1700600000,
          invite_status: "waiting",
        },
      ],
    },
  ],
  [
    "kf.getOnlineKfList",
    {
      kf_online_list: [
        { kf_account: "alice@demoacct", status: 1, kf_id: "1001", auto_accept: 0, accepted_case: 2 },
      ],
    },
  ],
  ["kf.getSession", { createtime: 123456789, kf_account: "alice@demoacct" }],
  ["kf.getSessionList", { sessionlist: [{ createtime: 1700000000, openid: OPENID }] }],
  ["kf.getWaitCase", { count: 1, waitcaselist: [{ latest_time: 1700000100, openid: OPENID }] }],
  [
    "kf.getMsgList",
    {
      recordlist: [
        {
          openid: OPENID,
          opercode: 2002,
          text: "Hello, this is Alice.",
          time: 1700000500,
          worker: "alice@demoacct",
        },
        { openid: OPENID, opercode: 2003, text: "[image]", time: 1700000560, worker: "alice@demoacct" },
      ],
      number: 2,
      msgid: 3,
    },
  ],
];
