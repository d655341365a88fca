/**
 * QR codes other modules issue (card QR codes of the cards module): they live in their owner's
 * tables, and the QR module shows their images (showqrcode) and routes a simulated user's scan of
 * them to their owner, through the sources registered with `qrcode.addForeignCodes(…)`.
 */
export interface ForeignQrcode {
  appid: string;
  ticket: string;
  /** The URL the image encodes. */
  url: string;
  /** ms; null = never expires. */
  expireAt: number | null;
}

export interface ForeignQrcodeSource {
  find(by: { ticket?: string; url?: string }): Promise<ForeignQrcode | undefined>;
  /** The user scanned the code: do what it means, and answer the simulator's view of it. */
  scan(userId: string, code: ForeignQrcode): Promise<Record<string, unknown>>;
}

export class ForeignQrcodes {
  private readonly sources: ForeignQrcodeSource[] = [];

  add(source: ForeignQrcodeSource): void {
    this.sources.push(source);
  }

  async find(by: {
    ticket?: string;
    url?: string;
  }): Promise<{ code: ForeignQrcode; source: ForeignQrcodeSource } | undefined> {
    for (const source of this.sources) {
      const code = await source.find(by);
      if (code) return { code, source };
    }
    return undefined;
  }
}
