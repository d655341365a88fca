/**
 * Ordinary messages (普通消息, callback.md §4): what a user sends to the account. Field names are
 * WeChat's, verbatim; `kind` is added as the discriminator.
 */
/** Fields every push carries (callback.md §3.2). */
export interface InboundHeader {
  /** The account's original id (`gh_…`). */
  ToUserName: string;
  /** The user's OpenID. */
  FromUserName: string;
  /** Unix seconds. */
  CreateTime: number;
}

/** Fields every ordinary message carries after its own. */
export interface MessageTrailer {
  /** 64-bit message id, kept as a string (it exceeds 2^53). Deduplicate on it. */
  MsgId: string;
  /** Only when the message came from an article: that article's data id. */
  MsgDataId?: string;
  /** Only when the message came from an article: its 1-based position in the send. */
  Idx?: number;
}

export interface TextMessage extends InboundHeader, MessageTrailer {
  kind: "text";
  MsgType: "text";
  Content: string;
  /** Id of the tapped option when the user answered a customer-service menu message (msgmenu). */
  bizmsgmenuid?: string;
}

export interface ImageMessage extends InboundHeader, MessageTrailer {
  kind: "image";
  MsgType: "image";
  PicUrl: string;
  MediaId: string;
}

export interface VoiceMessage extends InboundHeader, MessageTrailer {
  kind: "voice";
  MsgType: "voice";
  MediaId: string;
  /** `amr` in practice (`speex` per the docs). */
  Format: string;
  /** Speech recognition result; present (possibly empty) once recognition is enabled. */
  Recognition?: string;
  /** 16 kHz copy of the recording, mentioned by some newer docs only. */
  MediaId16K?: string;
}

export interface VideoMessage extends InboundHeader, MessageTrailer {
  kind: "video";
  MsgType: "video";
  MediaId: string;
  ThumbMediaId: string;
}

export interface ShortVideoMessage extends InboundHeader, MessageTrailer {
  kind: "shortvideo";
  MsgType: "shortvideo";
  MediaId: string;
  ThumbMediaId: string;
}

export interface LocationMessage extends InboundHeader, MessageTrailer {
  kind: "location";
  MsgType: "location";
  /** Latitude. */
  Location_X: number;
  /** Longitude. */
  Location_Y: number;
  /** Map zoom level. */
  Scale: number;
  Label: string;
}

export interface LinkMessage extends InboundHeader, MessageTrailer {
  kind: "link";
  MsgType: "link";
  Title: string;
  Description: string;
  Url: string;
}

export type OrdinaryMessage =
  | TextMessage
  | ImageMessage
  | VoiceMessage
  | VideoMessage
  | ShortVideoMessage
  | LocationMessage
  | LinkMessage;
