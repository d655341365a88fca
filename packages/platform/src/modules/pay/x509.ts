/**
 * Self-signed X.509 certificates for the simulated merchants: the merchant API certificate
 * (apiclient_cert.pem, whose serial number the v3 Authorization header names) and the platform
 * certificate served by /v3/certificates. node:crypto parses certificates but cannot make them, so
 * this writes the few DER structures a certificate needs (RFC 5280) and signs them with
 * sha256WithRSAEncryption. Pay SDKs read the serial and the public key from these.
 */
import { createSign, type KeyObject, randomBytes } from "node:crypto";

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const NULL = Buffer.from([0x05, 0x00]);

function oid(dotted: string): Buffer {
  const parts = dotted.split(".").map(Number);
  const out: number[] = [40 * (parts[0] ?? 0) + (parts[1] ?? 0)];
  for (const p of parts.slice(2)) {
    const group: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) group.unshift(0x80 | (v & 0x7f));
    out.push(...group);
  }
  return tlv(0x06, Buffer.from(out));
}

/** A positive INTEGER from big-endian bytes (a leading zero added when the top bit is set). */
function integer(bytes: Buffer): Buffer {
  const body = (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return tlv(0x02, body);
}

const utf8String = (s: string) => tlv(0x0c, Buffer.from(s, "utf8"));
const printable = (s: string) => tlv(0x13, Buffer.from(s, "ascii"));

/** UTCTime (years before 2050) or GeneralizedTime, as RFC 5280 requires. */
function time(ms: number): Buffer {
  const iso = new Date(ms).toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const year = Number(iso.slice(0, 4));
  return year < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

function name(parts: { C?: string; O?: string; OU?: string; CN: string }): Buffer {
  const rdns: Buffer[] = [];
  if (parts.C) rdns.push(set(sequence(oid("2.5.4.6"), printable(parts.C))));
  if (parts.O) rdns.push(set(sequence(oid("2.5.4.10"), utf8String(parts.O))));
  if (parts.OU) rdns.push(set(sequence(oid("2.5.4.11"), utf8String(parts.OU))));
  rdns.push(set(sequence(oid("2.5.4.3"), utf8String(parts.CN))));
  return sequence(...rdns);
}

const SHA256_WITH_RSA = sequence(oid("1.2.840.113549.1.1.11"), NULL);

export interface CertificateSubject {
  /** Common name: the merchant id for a merchant certificate (WeChat's habit), or a platform label. */
  commonName: string;
  organization: string;
  unit?: string;
}

export interface IssuedCertificate {
  pem: string;
  /** Upper-case hex serial, 40 characters (WeChat's serial numbers look like this). */
  serial: string;
}

/** A self-signed certificate for `publicKey`, valid from `notBefore` for `days`. */
export function selfSignedCertificate(
  subject: CertificateSubject,
  publicKey: KeyObject,
  privateKey: KeyObject,
  notBefore: number,
  days: number,
): IssuedCertificate {
  const serialBytes = randomBytes(20);
  serialBytes[0] = (serialBytes[0] ?? 0) & 0x7f || 0x11; // positive, 20 bytes, no leading zero
  const dn = name({ C: "CN", O: subject.organization, OU: subject.unit, CN: subject.commonName });
  const spki = publicKey.export({ type: "spki", format: "der" });
  const tbs = sequence(
    tlv(0xa0, integer(Buffer.from([2]))), // version v3
    integer(serialBytes),
    SHA256_WITH_RSA,
    dn,
    sequence(time(notBefore), time(notBefore + days * 86_400_000)),
    dn,
    spki,
  );
  const signature = createSign("RSA-SHA256").update(tbs).sign(privateKey);
  const der = sequence(tbs, SHA256_WITH_RSA, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const body = der.toString("base64").replace(/(.{64})/g, "$1\n");
  return {
    pem: `-----BEGIN CERTIFICATE-----\n${body}${body.endsWith("\n") ? "" : "\n"}-----END CERTIFICATE-----\n`,
    serial: serialBytes.toString("hex").toUpperCase(),
  };
}
