/**
 * IP address literals and CIDR ranges, as far as mount patterns and `NO_PROXY` need them.
 *
 * An address is held as a `bigint` with its family, so one comparison serves IPv4 and IPv6 alike.
 *
 * @module
 */

/** An IPv4 or IPv6 address as a number, with the bit width of its family. */
export interface IPAddress {
  readonly bits: 32 | 128;
  readonly value: bigint;
}

/** A range of addresses: a network address and the length of its prefix. */
export interface IPRange {
  readonly network: IPAddress;
  readonly prefixLength: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEXTET = /^[0-9a-f]{1,4}$/i;

/** Parses a dotted-quad IPv4 address; `null` when `text` is not one. */
export function parseIPv4(text: string): IPAddress | null {
  const match = IPV4.exec(text);
  if (match === null) return null;
  let value = 0n;
  for (let index = 1; index <= 4; index++) {
    const octet = Number(match[index]);
    if (octet > 255) return null;
    value = (value << 8n) | BigInt(octet);
  }
  return { bits: 32, value };
}

/** Parses an IPv6 address (compressed, with an embedded IPv4 tail, or with a zone id); `null` when not one. */
export function parseIPv6(text: string): IPAddress | null {
  const withoutZone = text.split("%", 1)[0] ?? "";
  const halves = withoutZone.split("::");
  if (halves.length > 2) return null;
  const compressed = halves.length === 2;
  const head = parseHextets(halves[0] ?? "", !compressed);
  const tail = compressed ? parseHextets(halves[1] ?? "", true) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (compressed ? missing < 1 : missing !== 0) return null;
  let value = 0n;
  for (const hextet of [...head, ...new Array<number>(missing).fill(0), ...tail]) {
    value = (value << 16n) | BigInt(hextet);
  }
  return { bits: 128, value };
}

// An embedded IPv4 address may only end the address ("::ffff:10.0.0.1").
function parseHextets(text: string, mayEndWithIPv4: boolean): number[] | null {
  if (text === "") return [];
  const parts = text.split(":");
  const hextets: number[] = [];
  for (const [index, part] of parts.entries()) {
    if (mayEndWithIPv4 && index === parts.length - 1 && part.includes(".")) {
      const ipv4 = parseIPv4(part);
      if (ipv4 === null) return null;
      hextets.push(Number(ipv4.value >> 16n), Number(ipv4.value & 0xffffn));
    } else if (HEXTET.test(part)) {
      hextets.push(Number.parseInt(part, 16));
    } else {
      return null;
    }
  }
  return hextets;
}

/** Parses an IPv4 or IPv6 address (IPv6 with or without brackets); `null` when `text` is neither. */
export function parseIPAddress(text: string): IPAddress | null {
  const unbracketed = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  return parseIPv4(unbracketed) ?? (unbracketed.includes(":") ? parseIPv6(unbracketed) : null);
}

/**
 * Parses an address or a CIDR range (`10.0.0.0/8`, `fe80::/10`); a bare address is a range of one. `null` when
 * `text` is neither, or the prefix is longer than the address.
 */
export function parseIPRange(text: string): IPRange | null {
  const slash = text.indexOf("/");
  const network = parseIPAddress(slash === -1 ? text : text.slice(0, slash));
  if (network === null) return null;
  if (slash === -1) return { network, prefixLength: network.bits };
  const prefix = text.slice(slash + 1);
  const prefixLength = /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
  if (!(prefixLength <= network.bits)) return null;
  return { network, prefixLength };
}

/** Whether `address` lies in `range`. Addresses of the other family never do. */
export function rangeContains(range: IPRange, address: IPAddress): boolean {
  if (range.network.bits !== address.bits) return false;
  const shift = BigInt(address.bits - range.prefixLength);
  return range.network.value >> shift === address.value >> shift;
}
