/**
 * Internationalised domain names: IDNA 2008 (RFC 5891-5893) validation and punycode (RFC 3492), strict as
 * httpx's `idna` dependency is (no UTS 46 mapping: "☃.com" is rejected).
 *
 * A code point's IDNA 2008 class is derived from its Unicode properties as RFC 5892 section 3 prescribes, using
 * the engine's own Unicode tables through regex property escapes; only the properties that JavaScript does not
 * expose (virama combining class, Arabic joining types, bidi classes of valid code points) are tabulated here.
 *
 * @module
 */
import { punycodeDecode, punycodeEncode } from "./punycode.js";

const ACE_PREFIX = "xn--";
const LABEL_SEPARATORS = /[.\u3002\uff0e\uff61]/;
const ASCII = /^\p{ASCII}*$/u;

const LETTER_DIGIT = /^[\p{Ll}\p{Lu}\p{Lo}\p{Nd}\p{Lm}\p{Mn}\p{Mc}]$/u;
const IGNORABLE = /^[\p{Default_Ignorable_Code_Point}\p{White_Space}\p{Noncharacter_Code_Point}]$/u;
const UNASSIGNED = /^\p{Cn}$/u;
const COMBINING_MARK = /^\p{M}/u;
const NON_SPACING_MARK = /^[\p{Mn}\p{Me}]$/u;
const GREEK = /^\p{Script=Greek}$/u;
const HEBREW = /^\p{Script=Hebrew}$/u;
const KANA_HAN = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

type Ranges = Uint32Array;

/** Parses "a-b,c" hex ranges into a flat sorted [start, end, ...] array. */
function ranges(spec: string): Ranges {
  const parts = spec.split(",");
  const out = new Uint32Array(parts.length * 2);
  parts.forEach((part, index) => {
    const [start, end = start] = part.split("-") as [string, string?];
    out[index * 2] = Number.parseInt(start, 16);
    out[index * 2 + 1] = Number.parseInt(end, 16);
  });
  return out;
}

function inRanges(table: Ranges, cp: number): boolean {
  let low = 0;
  let high = table.length / 2 - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (cp < table[mid * 2]!) high = mid - 1;
    else if (cp > table[mid * 2 + 1]!) low = mid + 1;
    else return true;
  }
  return false;
}

// RFC 5892 section 2.6 exceptions, by class.
const EXCEPTION_PVALID = ranges("df,3c2,6fd-6fe,f0b,3007");
const EXCEPTION_CONTEXTO = ranges("b7,375,5f3-5f4,660-669,6f0-6f9,30fb");
const EXCEPTION_DISALLOWED = ranges("640,7fa,302e-302f,3031-3035,303b");
// Blocks RFC 5892 section 2.4 excludes, and the conjoining Hangul jamo (Hangul_Syllable_Type L, V, T).
const IGNORABLE_BLOCKS = ranges("20d0-20ff,1d100-1d24f");
const OLD_HANGUL_JAMO = ranges("1100-11ff,a960-a97c,d7b0-d7c6,d7cb-d7fb");
// Where case folding differs from lower-casing: lower-case Cherokee folds to upper case (which is therefore
// stable), iota subscripts fold to a separate iota, and a few Cyrillic variants fold to their plain letters.
const CHEROKEE_UPPER = ranges("13a0-13f5");
const FOLDS_AWAY = ranges(
  "345,13f8-13fd,1c80-1c88,1f80-1f87,1f90-1f97,1fa0-1fa7,1fb2-1fb4,1fb7,1fc2-1fc4,1fc7,1ff2-1ff4,1ff7,ab70-abbf",
);

// Tables of properties regexes cannot reach, built lazily: most hosts are ASCII and never need them.
let tables:
  | { virama: Ranges; joinsLeft: Ranges; joinsRight: Ranges; rtl: Ranges; otherNeutral: Ranges }
  | undefined;

function getTables(): NonNullable<typeof tables> {
  tables ??= {
    // Canonical_Combining_Class = Virama (9).
    virama: ranges(
      "94d,9cd,a4d,acd,b4d,bcd,c4d,ccd,d3b-d3c,d4d,dca,e3a,eba,f84,1039-103a,1714-1715,1734,17d2,1a60,1b44," +
        "1baa-1bab,1bf2-1bf3,2d7f,a806,a82c,a8c4,a953,a9c0,aaf6,abed,10a3f,11046,11070,1107f,110b9,11133-11134," +
        "111c0,11235,112ea,1134d,11442,114c2,115bf,1163f,116b6,1172b,11839,1193d-1193e,119e0,11a34,11a47,11a99," +
        "11c3f,11d44-11d45,11d97",
    ),
    // Joining_Type L or D: characters that join to the following one.
    joinsLeft: ranges(
      "620,626,628,62a-62e,633-63f,641-647,649-64a,66e-66f,678-687,69a-6bf,6c1-6c2,6cc,6ce,6d0-6d1,6fa-6fc,6ff," +
        "712-714,71a-71d,71f-727,729,72b,72d-72e,74e-758,75c-76a,76d-770,772,775-777,77a-77f,7ca-7ea,841-845,848," +
        "84a-853,855,860,862-865,868,886,889-88d,8a0-8a9,8af-8b0,8b3-8b8,8ba-8c8,1807,1820-1878,1887-18a8,18aa," +
        "a840-a872,10ac0-10ac4,10acd,10ad3-10adc,10ade-10ae0,10aeb-10aee,10b80,10b82,10b86-10b88,10b8a-10b8b," +
        "10b8d,10b90,10bad-10bae,10d00-10d21,10d23,10f30-10f32,10f34-10f44,10f51-10f53,10f70-10f73,10f76-10f81," +
        "10fb0,10fb2-10fb3,10fb8,10fbb-10fbc,10fbe-10fbf,10fc1,10fc4,10fca-10fcb,1e900-1e943",
    ),
    // Joining_Type R or D: characters that join to the preceding one.
    joinsRight: ranges(
      "620,622-63f,641-64a,66e-66f,671-673,675-6d3,6d5,6ee-6ef,6fa-6fc,6ff,710,712-72f,74d-77f,7ca-7ea,840-858," +
        "860,862-865,867-86a,870-882,886,889-88e,8a0-8ac,8ae-8c8,1807,1820-1878,1887-18a8,18aa,a840-a871," +
        "10ac0-10ac5,10ac7,10ac9-10aca,10ace-10ad6,10ad8-10ae1,10ae4,10aeb-10aef,10b80-10b91,10ba9-10bae," +
        "10d01-10d23,10f30-10f44,10f51-10f54,10f70-10f81,10fb0,10fb2-10fb6,10fb8-10fbf,10fc1-10fc4,10fc9-10fca," +
        "1e900-1e943",
    ),
    // Bidi_Class R or AL, among the code points IDNA allows (ranges may span code points it rejects anyway).
    rtl: ranges(
      "5d0-5f4,620-64a,66e-66f,671-6d5,6e5-6e6,6ee-6ef,6fa-710,712-72f,74d-7a5,7b1-7ea,7f4-7f5,800-815,81a,824," +
        "828,840-858,860-88e,8a0-8c9,fe73,10800-10a00,10a10-10a35,10a60-10ae4,10b00-10d23,10e80-10ea9," +
        "10eb0-10eb1,10f00-10f45,10f70-10f81,10fb0-10ff6,1e800-1e8c4,1e922-1e943,1e94b-1e959",
    ),
    // Bidi_Class ON, among the code points IDNA allows.
    otherNeutral: ranges("b7,2b9-2ba,2c6-2cf,2ec,375,2e2f,30fb,a67f,a717-a71f,a788"),
  };
  return tables;
}

type IDNAClass = "PVALID" | "CONTEXTJ" | "CONTEXTO" | "DISALLOWED";

/** Whether NFKC, case folding and NFKC again change the code point (RFC 5892 section 2.2). */
function isUnstable(char: string, cp: number): boolean {
  const nfkc = char.normalize("NFKC");
  if (nfkc !== char || inRanges(FOLDS_AWAY, cp)) return true;
  return !inRanges(CHEROKEE_UPPER, cp) && nfkc.toLowerCase().normalize("NFKC") !== char;
}

/** The IDNA 2008 class of a code point (RFC 5892 section 3). */
export function idnaClass(cp: number): IDNAClass {
  if (inRanges(EXCEPTION_PVALID, cp)) return "PVALID";
  if (inRanges(EXCEPTION_CONTEXTO, cp)) return "CONTEXTO";
  if (inRanges(EXCEPTION_DISALLOWED, cp)) return "DISALLOWED";
  const char = String.fromCodePoint(cp);
  if (UNASSIGNED.test(char)) return "DISALLOWED";
  if ((cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39) || cp === 0x2d) return "PVALID";
  if (cp === 0x200c || cp === 0x200d) return "CONTEXTJ";
  if (cp < 0x80) return "DISALLOWED";
  if (isUnstable(char, cp) || IGNORABLE.test(char)) return "DISALLOWED";
  if (inRanges(IGNORABLE_BLOCKS, cp) || inRanges(OLD_HANGUL_JAMO, cp)) return "DISALLOWED";
  return LETTER_DIGIT.test(char) ? "PVALID" : "DISALLOWED";
}

class IDNAError extends Error {}

function validContextJ(cps: readonly number[], pos: number): boolean {
  const { virama, joinsLeft, joinsRight } = getTables();
  const before = cps[pos - 1];
  if (before !== undefined && inRanges(virama, before)) return true;
  if (cps[pos] === 0x200d) return false;
  // A zero-width non-joiner needs a joining character on each side.
  return (
    cps.slice(0, pos).some((cp) => inRanges(joinsLeft, cp)) &&
    cps.slice(pos + 1).some((cp) => inRanges(joinsRight, cp))
  );
}

function validContextO(cps: readonly number[], pos: number): boolean {
  const cp = cps[pos]!;
  const before = cps[pos - 1];
  const after = cps[pos + 1];
  if (cp === 0xb7) return before === 0x6c && after === 0x6c;
  if (cp === 0x375) return after !== undefined && GREEK.test(String.fromCodePoint(after));
  if (cp === 0x5f3 || cp === 0x5f4) return before !== undefined && HEBREW.test(String.fromCodePoint(before));
  if (cp === 0x30fb) return KANA_HAN.test(String.fromCodePoint(...cps.filter((other) => other !== 0x30fb)));
  if (cp >= 0x660 && cp <= 0x669) return !cps.some((other) => other >= 0x6f0 && other <= 0x6f9);
  if (cp >= 0x6f0 && cp <= 0x6f9) return !cps.some((other) => other >= 0x660 && other <= 0x669);
  return false;
}

type BidiClass = "L" | "R" | "EN" | "AN" | "ES" | "ON" | "BN" | "NSM";

function bidiClass(cp: number): BidiClass {
  const { rtl, otherNeutral } = getTables();
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x6f0 && cp <= 0x6f9)) return "EN";
  if ((cp >= 0x660 && cp <= 0x669) || (cp >= 0x10d30 && cp <= 0x10d39)) return "AN";
  if (cp === 0x2d) return "ES";
  if (cp === 0x200c || cp === 0x200d) return "BN";
  if (inRanges(rtl, cp)) return "R";
  if (inRanges(otherNeutral, cp)) return "ON";
  return NON_SPACING_MARK.test(String.fromCodePoint(cp)) ? "NSM" : "L";
}

const RTL_ALLOWED = new Set<BidiClass>(["R", "AN", "EN", "ES", "ON", "BN", "NSM"]);
const LTR_ALLOWED = new Set<BidiClass>(["L", "EN", "ES", "ON", "BN", "NSM"]);

/** The RFC 5893 bidi rule, applied to labels holding right-to-left characters. */
function checkBidi(cps: readonly number[]): void {
  const classes = cps.map(bidiClass);
  if (!classes.some((bidi) => bidi === "R" || bidi === "AN")) return;
  const first = classes[0];
  if (first !== "R" && first !== "L") throw new IDNAError("First code point must be L, R or AL");
  const rtl = first === "R";
  const allowed = rtl ? RTL_ALLOWED : LTR_ALLOWED;
  let validEnding = false;
  let numberType: BidiClass | undefined;
  for (const bidi of classes) {
    if (!allowed.has(bidi)) throw new IDNAError("Invalid direction for code point");
    const ends = rtl ? bidi === "R" || bidi === "EN" || bidi === "AN" : bidi === "L" || bidi === "EN";
    if (ends) validEnding = true;
    else if (bidi !== "NSM") validEnding = false;
    if (rtl && (bidi === "AN" || bidi === "EN")) {
      numberType ??= bidi;
      if (numberType !== bidi) throw new IDNAError("Cannot mix numeral types");
    }
  }
  if (!validEnding) throw new IDNAError("Label ends with an invalid direction");
}

/** Validates a Unicode label against IDNA 2008. */
function checkLabel(label: string): void {
  if (label === "") throw new IDNAError("Empty label");
  if (label.normalize("NFC") !== label) throw new IDNAError("Label must be in Normalization Form C");
  if (label.slice(2, 4) === "--") throw new IDNAError("Hyphens in 3rd and 4th position");
  if (label.startsWith("-") || label.endsWith("-")) throw new IDNAError("Label starts or ends with a hyphen");
  if (COMBINING_MARK.test(label)) throw new IDNAError("Label begins with a combining mark");
  const cps = Array.from(label, (char) => char.codePointAt(0)!);
  cps.forEach((cp, pos) => {
    const kind = idnaClass(cp);
    if (kind === "PVALID") return;
    if (kind === "CONTEXTJ" && validContextJ(cps, pos)) return;
    if (kind === "CONTEXTO" && validContextO(cps, pos)) return;
    throw new IDNAError(`Code point U+${cp.toString(16).toUpperCase()} not allowed`);
  });
  checkBidi(cps);
}

/** Decodes an A-label ("xn--...") and checks the Unicode label it stands for. */
function decodeALabel(label: string): string {
  const encoded = label.slice(ACE_PREFIX.length);
  if (encoded === "" || encoded.endsWith("-")) throw new IDNAError("Malformed A-label");
  const decoded = punycodeDecode(encoded);
  checkLabel(decoded);
  return decoded;
}

function labelToASCII(label: string): string {
  let ascii: string;
  if (ASCII.test(label)) {
    const lower = label.toLowerCase();
    if (lower.startsWith(ACE_PREFIX)) decodeALabel(lower);
    else checkLabel(lower);
    ascii = label;
  } else {
    checkLabel(label);
    ascii = ACE_PREFIX + punycodeEncode(label);
  }
  if (ascii.length > 63) throw new IDNAError("Label too long");
  return ascii;
}

/**
 * Encodes a host name to its ASCII (punycode) form, validating every label against IDNA 2008. Throws on any
 * invalid label; the caller turns that into `InvalidURL`.
 */
export function idnaToASCII(host: string): string {
  const labels = host.split(LABEL_SEPARATORS);
  const trailingDot = labels.length > 1 && labels[labels.length - 1] === "";
  if (trailingDot) labels.pop();
  if (labels.length === 1 && labels[0] === "") throw new IDNAError("Empty domain");
  const encoded = labels.map(labelToASCII);
  if (trailingDot) encoded.push("");
  const result = encoded.join(".");
  if (result.length > (trailingDot ? 254 : 253)) throw new IDNAError("Domain too long");
  return result;
}

/**
 * Decodes the punycode labels of an ASCII host name to Unicode, for display. Labels that are not valid A-labels
 * are left as they are: this never throws.
 */
export function idnaToUnicode(host: string): string {
  if (!host.includes(ACE_PREFIX)) return host;
  return host
    .split(".")
    .map((label) => {
      if (!label.startsWith(ACE_PREFIX)) return label;
      try {
        return decodeALabel(label);
      } catch {
        return label;
      }
    })
    .join(".");
}
