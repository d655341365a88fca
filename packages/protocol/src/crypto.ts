/**
 * Message crypto of the callback channel (spec/crypto.md §4–6): WeChat's AES-256-CBC envelope
 * (16 random bytes, the length, the message, the AppID, PKCS#7-padded to 32-byte blocks), the key
 * decoding, and the official sample library's error codes.
 */
import {
  type Cipher,
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  type Decipher,
  type KeyObject,
  randomBytes,
} from "node:crypto";

/**
 * Message encryption of the callback channel (spec/crypto.md §4–§6): the official WXBizMsgCrypt
 * framing, AES-256-CBC with IV = key[0:16] and PKCS#7 padding to 32-byte blocks.
 */

export type MessageCryptoErrorCode =
  | "InvalidSignature"
  | "InvalidXml"
  | "InvalidKey"
  | "AppIdMismatch"
  | "EncryptFailed"
  | "DecryptFailed"
  | "InvalidBuffer"
  | "InvalidBase64"
  | "InvalidPadding"
  | "InvalidLength";

/**
 * The official sample library's return codes (spec/crypto.md §6). Padding and ciphertext-length
 * failures have no code of their own there (the AES step would fail), so they map to -40007.
 */
export const OFFICIAL_CRYPTO_CODES: Readonly<Record<MessageCryptoErrorCode, number>> = {
  InvalidSignature: -40001,
  InvalidXml: -40002,
  InvalidKey: -40004,
  AppIdMismatch: -40005,
  EncryptFailed: -40006,
  DecryptFailed: -40007,
  InvalidBuffer: -40008,
  InvalidBase64: -40010,
  InvalidPadding: -40007,
  InvalidLength: -40007,
};

export class MessageCryptoError extends Error {
  readonly code: MessageCryptoErrorCode;
  readonly officialCode: number;

  constructor(code: MessageCryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MessageCryptoError";
    this.code = code;
    this.officialCode = OFFICIAL_CRYPTO_CODES[code];
  }
}

const BLOCK = 32; // PKCS#7 block size K of the official scheme ("K 为秘钥字节数（采用 32）")
const RANDOM_BYTES = 16;
const HEADER_BYTES = RANDOM_BYTES + 4;
const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;
// Standard Base64 with `=` padding; the length check (multiple of 4) is done separately.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Turns an EncodingAESKey into the 32-byte AES key; throws InvalidKey. */
export function decodeEncodingAESKey(encodingAESKey: string): Buffer {
  if (typeof encodingAESKey !== "string" || !ENCODING_AES_KEY.test(encodingAESKey)) {
    throw new MessageCryptoError("InvalidKey", "EncodingAESKey must be 43 characters from [A-Za-z0-9]");
  }
  // Node's decoder ignores the 2 surplus bits of the last character, as the spec requires (§2).
  const key = Buffer.from(`${encodingAESKey}=`, "base64");
  if (key.length !== 32)
    throw new MessageCryptoError("InvalidKey", "EncodingAESKey does not decode to 32 bytes");
  return key;
}

/** Decodes strict standard Base64 (no whitespace, length a multiple of 4); throws InvalidBase64. */
function decodeBase64(text: string): Buffer {
  if (typeof text !== "string" || text.length % 4 !== 0 || !BASE64.test(text)) {
    throw new MessageCryptoError("InvalidBase64", "ciphertext is not valid Base64");
  }
  return Buffer.from(text, "base64");
}

// Random prefixes come from a pooled CSPRNG buffer: one randomBytes call per 256 messages instead of
// one per message (a per-call randomBytes costs more than the AES work for a typical push).
const RANDOM_POOL_BYTES = 4096;
let randomPool = Buffer.alloc(0);
let randomOffset = 0;

function copyRandomPrefix(target: Buffer): void {
  if (randomOffset + RANDOM_BYTES > randomPool.length) {
    randomPool = randomBytes(RANDOM_POOL_BYTES);
    randomOffset = 0;
  }
  randomPool.copy(target, 0, randomOffset, randomOffset + RANDOM_BYTES);
  randomOffset += RANDOM_BYTES;
}

export interface DecryptedMessage {
  message: string;
  appId: string;
}

export class MessageCrypto {
  readonly appId: string;
  private readonly key: KeyObject;
  private readonly iv: Buffer;
  private readonly appIdBytes: Buffer;
  // One long-lived CBC cipher and decipher per key (creating them costs more than a push's AES work).
  // Every message must start from IV = key[0:16], while a streaming CBC context continues from the
  // last ciphertext block C it processed; XOR-ing the first block with IV ⊕ C (before encrypting,
  // after decrypting) gives exactly the output of a fresh context. Inputs are always whole blocks,
  // so the context never holds a partial block between messages.
  private encryptor: Cipher | undefined;
  private decryptor: Decipher | undefined;
  private readonly encryptChain: Buffer;
  private readonly decryptChain: Buffer;

  constructor(encodingAESKey: string, appId: string) {
    const raw = decodeEncodingAESKey(encodingAESKey);
    if (typeof appId !== "string") throw new MessageCryptoError("InvalidKey", "appId must be a string");
    this.key = createSecretKey(raw);
    this.iv = Buffer.from(raw.subarray(0, 16));
    this.encryptChain = Buffer.from(this.iv);
    this.decryptChain = Buffer.from(this.iv);
    this.appId = appId;
    this.appIdBytes = Buffer.from(appId, "utf8");
  }

  /**
   * Encrypts `message` (UTF-8) into the Base64 `Encrypt` value. `random16` fixes the 16-byte prefix
   * (test vectors); `appId` overrides the trailing appid (the simulator uses it to forge mismatches).
   */
  encrypt(message: string, random16?: Uint8Array, appId?: string): string {
    if (typeof message !== "string")
      throw new MessageCryptoError("EncryptFailed", "the message must be a string");
    if (random16 !== undefined && random16.length !== RANDOM_BYTES) {
      throw new MessageCryptoError("EncryptFailed", "the random prefix must be 16 bytes");
    }
    try {
      const idBytes = appId === undefined ? this.appIdBytes : Buffer.from(appId, "utf8");
      const messageBytes = Buffer.byteLength(message, "utf8");
      const unpadded = HEADER_BYTES + messageBytes + idBytes.length;
      const pad = BLOCK - (unpadded % BLOCK); // 1..32: a whole block when already aligned
      const frame = Buffer.allocUnsafe(unpadded + pad);
      if (random16 === undefined) copyRandomPrefix(frame);
      else frame.set(random16, 0);
      frame.writeUInt32BE(messageBytes, RANDOM_BYTES);
      frame.write(message, HEADER_BYTES, messageBytes, "utf8");
      frame.set(idBytes, HEADER_BYTES + messageBytes);
      frame.fill(pad, unpadded);
      return this.cbcEncrypt(frame).toString("base64");
    } catch (cause) {
      if (cause instanceof MessageCryptoError) throw cause;
      throw new MessageCryptoError("EncryptFailed", "AES encryption failed", { cause });
    }
  }

  /** Decrypts an `Encrypt` value and checks that its trailing appid is this account's (AppIdMismatch). */
  decrypt(encrypted: string): DecryptedMessage {
    const frame = this.open(encrypted);
    const idStart = HEADER_BYTES + frame.readUInt32BE(RANDOM_BYTES);
    const id = frame.subarray(idStart);
    if (!id.equals(this.appIdBytes)) {
      throw new MessageCryptoError("AppIdMismatch", "the message was encrypted for another appid");
    }
    return { message: frame.toString("utf8", HEADER_BYTES, idStart), appId: this.appId };
  }

  /** Like `decrypt` but returns whatever appid the plaintext carries (the caller decides). */
  decryptAnyAppId(encrypted: string): DecryptedMessage {
    const frame = this.open(encrypted);
    const idStart = HEADER_BYTES + frame.readUInt32BE(RANDOM_BYTES);
    return { message: frame.toString("utf8", HEADER_BYTES, idStart), appId: frame.toString("utf8", idStart) };
  }

  /** Base64 → AES → unpad → frame checks; returns the unpadded frame whose length field is in bounds. */
  private open(encrypted: string): Buffer {
    const cipherBytes = decodeBase64(encrypted);
    if (cipherBytes.length === 0 || cipherBytes.length % 16 !== 0) {
      throw new MessageCryptoError("InvalidLength", "ciphertext length is not a non-zero multiple of 16");
    }
    const plain = this.cbcDecrypt(cipherBytes);
    // Strict PKCS#7/32: the official samples silently treat a bad pad as "no padding"; we reject.
    const pad = plain[plain.length - 1] ?? 0;
    if (pad < 1 || pad > BLOCK || pad > plain.length) {
      throw new MessageCryptoError("InvalidPadding", "bad padding");
    }
    for (let i = plain.length - pad; i < plain.length - 1; i++) {
      if (plain[i] !== pad) throw new MessageCryptoError("InvalidPadding", "bad padding");
    }
    const frame = plain.subarray(0, plain.length - pad);
    if (frame.length < HEADER_BYTES) {
      throw new MessageCryptoError("InvalidBuffer", "decrypted buffer is shorter than its header");
    }
    if (frame.readUInt32BE(RANDOM_BYTES) > frame.length - HEADER_BYTES) {
      throw new MessageCryptoError("InvalidBuffer", "message length field exceeds the decrypted data");
    }
    return frame;
  }

  /** AES-256-CBC over whole blocks with IV = key[0:16]; `frame` is scratch (its first block is changed). */
  private cbcEncrypt(frame: Buffer): Buffer {
    for (let i = 0; i < 16; i++) frame[i] = frame[i]! ^ this.iv[i]! ^ this.encryptChain[i]!;
    let out: Buffer;
    try {
      this.encryptor ??= createCipheriv("aes-256-cbc", this.key, this.iv).setAutoPadding(false);
      out = this.encryptor.update(frame);
    } catch (cause) {
      this.resetEncryptor();
      throw new MessageCryptoError("EncryptFailed", "AES encryption failed", { cause });
    }
    if (out.length !== frame.length) {
      this.resetEncryptor();
      throw new MessageCryptoError("EncryptFailed", "AES encryption returned a partial result");
    }
    out.copy(this.encryptChain, 0, out.length - 16);
    return out;
  }

  private cbcDecrypt(cipherBytes: Buffer): Buffer {
    let out: Buffer;
    try {
      this.decryptor ??= createDecipheriv("aes-256-cbc", this.key, this.iv).setAutoPadding(false);
      out = this.decryptor.update(cipherBytes);
    } catch (cause) {
      this.resetDecryptor();
      throw new MessageCryptoError("DecryptFailed", "AES decryption failed", { cause });
    }
    if (out.length !== cipherBytes.length) {
      this.resetDecryptor();
      throw new MessageCryptoError("DecryptFailed", "AES decryption returned a partial result");
    }
    for (let i = 0; i < 16; i++) out[i] = out[i]! ^ this.iv[i]! ^ this.decryptChain[i]!;
    cipherBytes.copy(this.decryptChain, 0, cipherBytes.length - 16);
    return out;
  }

  private resetEncryptor(): void {
    this.encryptor = undefined;
    this.iv.copy(this.encryptChain);
  }

  private resetDecryptor(): void {
    this.decryptor = undefined;
    this.iv.copy(this.decryptChain);
  }
}
