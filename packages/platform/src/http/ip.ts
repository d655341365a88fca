/** IP helpers: loopback test and the API IP whitelist (addresses and CIDR ranges). */
import { BlockList, isIP } from "node:net";

/** `::ffff:1.2.3.4` → `1.2.3.4`. */
export function plainIp(ip: string): string {
  return ip.startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

export function isLoopback(ip: string): boolean {
  const p = plainIp(ip);
  return p === "::1" || p.startsWith("127.");
}

/** Does `ip` match one entry of the whitelist (`1.2.3.4`, `10.0.0.0/8`, `::1`)? */
export function ipAllowed(ip: string, whitelist: readonly string[]): boolean {
  const list = new BlockList();
  for (const entry of whitelist) {
    const [addr, bits] = entry.split("/") as [string, string | undefined];
    const family = isIP(addr) === 6 ? "ipv6" : "ipv4";
    if (isIP(addr) === 0) continue;
    if (bits === undefined) list.addAddress(addr, family);
    else list.addSubnet(addr, Number(bits), family);
  }
  const p = plainIp(ip);
  return list.check(p, isIP(p) === 6 ? "ipv6" : "ipv4");
}

/** A whitelist entry is an IPv4/IPv6 address, optionally with a /prefix. */
export function isWhitelistEntry(entry: string): boolean {
  const [addr, bits, more] = entry.split("/");
  if (more !== undefined || !addr) return false;
  const fam = isIP(addr);
  if (fam === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n >= 0 && n <= (fam === 4 ? 32 : 128);
}
