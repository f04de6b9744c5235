import { describe, expect, it } from "vitest";
import { idnaClass, idnaToASCII, idnaToUnicode } from "../src/idna.js";
import { punycodeDecode, punycodeEncode } from "../src/punycode.js";

describe("punycode", () => {
  // RFC 3492 section 7.1 samples, and labels from httpx's IDNA tests.
  it.each([
    ["bücher", "bcher-kva"],
    ["中国", "fiqs8s"],
    ["他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"],
    ["почемужеонинеговорятпорусски", "b1abfaaepdrnnbgefbadotcwatmq2g4l"],
    ["königsgäßchen", "knigsgchen-b4a3dun"],
    ["abc", "abc-"],
    ["😇", "l28h"],
  ])("encodes %s as %s and back", (unicode, ascii) => {
    expect(punycodeEncode(unicode)).toBe(ascii);
    expect(punycodeDecode(ascii)).toBe(unicode);
  });

  it.each([["a-é"], ["99999999999"], ["!"]])("rejects the malformed %j", (value) => {
    expect(() => punycodeDecode(value)).toThrow(RangeError);
  });
});

describe("IDNA 2008", () => {
  it.each([
    [0x61, "PVALID"],
    [0x41, "DISALLOWED"],
    [0x5f, "DISALLOWED"],
    [0xdf, "PVALID"],
    [0xb7, "CONTEXTO"],
    [0x200d, "CONTEXTJ"],
    [0x2603, "DISALLOWED"],
    [0x1f607, "DISALLOWED"],
    [0x4e2d, "PVALID"],
    [0x0640, "DISALLOWED"],
    [0x1100, "DISALLOWED"],
    [0x00ad, "DISALLOWED"],
    [0xab70, "DISALLOWED"],
    [0x0378, "DISALLOWED"],
    [0x0300, "PVALID"],
  ])("classifies U+%s as %s", (cp, expected) => {
    expect(idnaClass(cp)).toBe(expected);
  });

  it.each([
    ["中国.icom.museum", "xn--fiqs8s.icom.museum"],
    ["königsgäßchen.de", "xn--knigsgchen-b4a3dun.de"],
    ["ශ්‍රී.com", "xn--10cl1a0b660p.com"],
    ["نامه‌ای.com", "xn--mgba3gch31f060k.com"],
    ["中国。icom．museum", "xn--fiqs8s.icom.museum"],
    ["müller.de.", "xn--mller-kva.de."],
    ["l·l.cat", "xn--ll-0ea.cat"],
    ["ש״ב.com", "xn--5db1c7a.com"],
    ["αβ͵γ.gr", "xn--wva3jdf.gr"],
  ])("encodes %s", (host, expected) => {
    expect(idnaToASCII(host)).toBe(expected);
  });

  it.each([
    ["☃.com", "a symbol"],
    ["Müller.de", "an upper-case letter"],
    ["a\u200db.com", "a joiner outside its context"],
    ["a·b.com", "a middle dot outside l·l"],
    ["ب٠۰.com", "mixed Arabic-Indic digits"],
    ["٠١٢.com", "a right-to-left label starting with a digit"],
    ["\u0301a.com", "a leading combining mark"],
    ["ab--é.com", "hyphens in the 3rd and 4th positions"],
    ["-é.com", "a leading hyphen"],
    ["aب.com", "a left-to-right label holding right-to-left letters"],
    ["é..com", "an empty label"],
    ["e\u0301.com", "a label not in NFC"],
    ["my_é.com", "an underscore"],
    ["é" + "a".repeat(63) + ".com", "a label over 63 characters"],
    ["é.xn--zz", "a malformed A-label"],
  ])("rejects %j: %s", (host) => {
    expect(() => idnaToASCII(host)).toThrow();
  });

  it.each([
    ["xn--fiqs8s.icom.museum", "中国.icom.museum"],
    ["www.xn--mller-kva.de", "www.müller.de"],
    ["xn--zz.com", "xn--zz.com"],
    ["example.com", "example.com"],
  ])("decodes %s for display", (host, expected) => {
    expect(idnaToUnicode(host)).toBe(expected);
  });
});
