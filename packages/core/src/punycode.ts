/**
 * Punycode (RFC 3492): the Bootstring encoding that turns a Unicode domain label into the ASCII characters
 * after an "xn--" prefix, and back.
 *
 * @module
 */

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 0x80;
const MAX_CODE_POINT = 0x10ffff;

function adapt(delta: number, numPoints: number, firstTime: boolean): number {
  let scaled = firstTime ? Math.floor(delta / DAMP) : delta >> 1;
  scaled += Math.floor(scaled / numPoints);
  let k = 0;
  while (scaled > ((BASE - T_MIN) * T_MAX) >> 1) {
    scaled = Math.floor(scaled / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * scaled) / (scaled + SKEW));
}

function digitChar(digit: number): string {
  // 0-25 → "a"-"z", 26-35 → "0"-"9".
  return String.fromCharCode(digit + 22 + 75 * Number(digit < 26));
}

function digitValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 22;
  if (code >= 0x41 && code <= 0x5a) return code - 0x41;
  if (code >= 0x61 && code <= 0x7a) return code - 0x61;
  return BASE;
}

function threshold(k: number, bias: number): number {
  return k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
}

/** Encodes a Unicode label to punycode (without the "xn--" prefix). */
export function punycodeEncode(input: string): string {
  const cps = Array.from(input, (char) => char.codePointAt(0)!);
  let output = cps
    .filter((cp) => cp < 0x80)
    .map((cp) => String.fromCharCode(cp))
    .join("");
  const basicLength = output.length;
  let handled = basicLength;
  if (basicLength > 0) output += "-";
  let n = INITIAL_N;
  let delta = 0;
  let bias = INITIAL_BIAS;
  while (handled < cps.length) {
    let next = MAX_CODE_POINT + 1;
    for (const cp of cps) if (cp >= n && cp < next) next = cp;
    delta += (next - n) * (handled + 1);
    n = next;
    for (const cp of cps) {
      if (cp < n) delta++;
      if (cp !== n) continue;
      let q = delta;
      for (let k = BASE; ; k += BASE) {
        const t = threshold(k, bias);
        if (q < t) break;
        output += digitChar(t + ((q - t) % (BASE - t)));
        q = Math.floor((q - t) / (BASE - t));
      }
      output += digitChar(q);
      bias = adapt(delta, handled + 1, handled === basicLength);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return output;
}

/** Decodes a punycode label (without the "xn--" prefix). Throws a `RangeError` on malformed input. */
export function punycodeDecode(input: string): string {
  const separator = input.lastIndexOf("-");
  const output: number[] = [];
  for (let index = 0; index < Math.max(separator, 0); index++) {
    const code = input.charCodeAt(index);
    if (code >= 0x80) throw new RangeError("Non-basic code point before the delimiter");
    output.push(code);
  }
  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  let i = 0;
  for (let index = separator + 1; index < input.length; ) {
    const oldI = i;
    for (let w = 1, k = BASE; ; k += BASE) {
      if (index >= input.length) throw new RangeError("Truncated punycode");
      const digit = digitValue(input.charCodeAt(index++));
      if (digit >= BASE) throw new RangeError("Invalid punycode digit");
      i += digit * w;
      const t = threshold(k, bias);
      if (digit < t) break;
      w *= BASE - t;
      if (i > MAX_CODE_POINT * (output.length + 1) || w > 0x7fffffff)
        throw new RangeError("Punycode overflow");
    }
    const length = output.length + 1;
    bias = adapt(i - oldI, length, oldI === 0);
    n += Math.floor(i / length);
    i %= length;
    if (n > MAX_CODE_POINT || (n >= 0xd800 && n <= 0xdfff)) throw new RangeError("Invalid code point");
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}
