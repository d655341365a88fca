/**
 * The fallback for late replies: a passive reply turned into the customer-service message with the same
 * content, sent through the API client (`customerMessageSender(client)`).
 */
import type { Reply } from "@mpstack/protocol";
import type { WechatClient } from "../client/index.js";
import type { CustomerMessageSender } from "./types.js";

/** The body of `client.message.sendCustom` (POST /cgi-bin/message/custom/send). */
export type CustomMessageBody = Parameters<WechatClient["message"]["sendCustom"]>[0];

/** What the fallback needs from an API client. */
export interface CustomMessageClient {
  message: { sendCustom(body: CustomMessageBody): Promise<unknown> };
}

/**
 * The customer-service message carrying the same content as a passive reply. A hand-over to
 * customer service (`transfer_customer_service`) only exists as a passive reply, so it throws.
 */
export function customMessageFromReply(openid: string, reply: Reply): CustomMessageBody {
  switch (reply.type) {
    case "text":
      return { touser: openid, msgtype: "text", text: { content: reply.content } };
    case "image":
      return { touser: openid, msgtype: "image", image: { media_id: reply.mediaId } };
    case "voice":
      return { touser: openid, msgtype: "voice", voice: { media_id: reply.mediaId } };
    case "video":
      return {
        touser: openid,
        msgtype: "video",
        video: { media_id: reply.mediaId, title: reply.title, description: reply.description },
      };
    case "music":
      return {
        touser: openid,
        msgtype: "music",
        music: {
          title: reply.title,
          description: reply.description,
          musicurl: reply.musicUrl ?? "",
          hqmusicurl: reply.hqMusicUrl ?? reply.musicUrl ?? "",
          thumb_media_id: reply.thumbMediaId,
        },
      };
    case "news":
      return {
        touser: openid,
        msgtype: "news",
        news: {
          articles: reply.articles.map((a) => ({
            title: a.title,
            description: a.description,
            url: a.url,
            picurl: a.picUrl,
          })),
        },
      };
    case "transfer_customer_service":
      throw new Error("a transfer_customer_service reply has no customer-service message form");
  }
}

/** The time-budget fallback through an API client: `createHandler({ …, fallback: customerMessageSender(client) })`. */
export function customerMessageSender(client: CustomMessageClient): CustomerMessageSender {
  return {
    async sendCustomerMessage(openid, reply) {
      await client.message.sendCustom(customMessageFromReply(openid, reply));
    },
  };
}
