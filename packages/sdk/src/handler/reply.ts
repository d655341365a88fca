/**
 * `reply.text()`, `reply.news()`…: what a route returns to answer a push with a passive reply.
 */
import type {
  ImageReply,
  MusicReply,
  NewsArticle,
  NewsReply,
  TextReply,
  TransferCustomerServiceReply,
  VideoReply,
  VoiceReply,
} from "@mpstack/protocol";

/**
 * Builders for every passive reply type (spec/callback.md §6.2). They only shape the data; the
 * handler adds the envelope (To/FromUserName, CreateTime) and seals it in the push's mode.
 */
export const reply = {
  text(content: string): TextReply {
    return { type: "text", content };
  },
  image(mediaId: string): ImageReply {
    return { type: "image", mediaId };
  },
  voice(mediaId: string): VoiceReply {
    return { type: "voice", mediaId };
  },
  video(mediaId: string, options: { title?: string; description?: string } = {}): VideoReply {
    return { type: "video", mediaId, ...options };
  },
  music(music: {
    thumbMediaId: string;
    title?: string;
    description?: string;
    musicUrl?: string;
    hqMusicUrl?: string;
  }): MusicReply {
    return { type: "music", ...music };
  },
  /** Current rule: one article when answering a user message, up to 8 otherwise (the platform checks). */
  news(articles: readonly NewsArticle[]): NewsReply {
    return { type: "news", articles: articles.map((a) => ({ ...a })) };
  },
  /** Hands the conversation to customer service, optionally to one agent account. */
  transferCustomerService(kfAccount?: string): TransferCustomerServiceReply {
    return kfAccount === undefined
      ? { type: "transfer_customer_service" }
      : { type: "transfer_customer_service", kfAccount };
  },
};
