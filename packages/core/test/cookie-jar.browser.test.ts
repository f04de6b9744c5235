import fc from "fast-check";
import * as tough from "tough-cookie";
import { describe, expect, it } from "vitest";
import * as browser from "../src/cookie-jar.browser.js";

// The options Cookies gives its jar.
const OPTIONS = { allowSecureOnLocal: false, enforceSecureOriginOnStorage: false };

interface StoredCookie {
  key: string;
  value: string;
  domain: string | null;
  path: string | null;
  hostOnly: boolean | null;
  secure: boolean;
  cookieString(): string;
}

interface AnyJar {
  setCookieSync(cookie: string, url: string, options: { ignoreError: boolean }): unknown;
  getCookiesSync(url: string): StoredCookie[];
}

type Options = typeof OPTIONS | Record<string, never>;

/** Stores each Set-Cookie as received from its URL, then reads the cookies for `target`. */
function sendTo(jar: AnyJar, received: ReadonlyArray<readonly [string, string]>, target: string) {
  for (const [from, setCookie] of received) jar.setCookieSync(setCookie, from, { ignoreError: true });
  return jar.getCookiesSync(target).map((cookie) => ({
    header: cookie.cookieString(),
    domain: cookie.domain,
    path: cookie.path,
    hostOnly: cookie.hostOnly,
    secure: cookie.secure,
  }));
}

function both(
  received: ReadonlyArray<readonly [string, string]>,
  target: string,
  options: Options = OPTIONS,
) {
  return {
    tough: sendTo(new tough.CookieJar(new tough.MemoryCookieStore(), options), received, target),
    browser: sendTo(new browser.CookieJar(new browser.MemoryCookieStore(), options), received, target),
  };
}

const EX = "https://www.example.com/";

describe("the browser cookie jar stores and sends cookies as tough-cookie does", () => {
  it.each<[string, ReadonlyArray<readonly [string, string]>, string, Options?]>([
    ["a host-only cookie to its host", [[EX, "a=1"]], EX],
    ["no host-only cookie to a subdomain", [["https://example.com/", "a=1"]], EX],
    ["a Domain cookie to a sibling", [[EX, "a=1; Domain=example.com"]], "https://api.example.com/"],
    ["a Domain given with a dot and capitals", [[EX, "a=1; Domain=.EXAMPLE.com"]], "https://EXAMPLE.com/"],
    ["no cookie for another site's Domain", [[EX, "a=1; Domain=example.org"]], "https://example.org/"],
    ["no cookie for a subdomain's Domain", [["https://example.com/", "a=1; Domain=www.example.com"]], EX],
    ["no cookie for a top-level Domain", [[EX, "a=1; Domain=com"]], EX],
    ["a Path cookie below its path", [[EX, "a=1; Path=/api"]], `${EX}api/users`],
    ["no Path cookie beside its path", [[EX, "a=1; Path=/api"]], `${EX}apis`],
    ["a relative Path as the default path", [[`${EX}docs/page`, "a=1; Path=docs"]], `${EX}docs/x`],
    ["the request's directory as the default path", [[`${EX}docs/page`, "a=1"]], `${EX}other`],
    ["a decoded default path", [[`${EX}a%20b/c`, "a=1"]], `${EX}a%20b/d`],
    [
      "longest path first, then oldest",
      [
        [EX, "b=1"],
        [EX, "a=2"],
        [EX, "c=3; Path=/x"],
      ],
      `${EX}x/y`,
    ],
    [
      "a replaced cookie in its first place",
      [
        [EX, "a=1"],
        [EX, "b=2"],
        [EX, "a=3"],
      ],
      EX,
    ],
    [
      "no cookie past Max-Age=0",
      [
        [EX, "a=1"],
        [EX, "a=1; Max-Age=0"],
      ],
      EX,
    ],
    ["no cookie with a negative Max-Age", [[EX, "a=1; Max-Age=-5"]], EX],
    ["a cookie within its Max-Age", [[EX, "a=1; Max-Age=3600"]], EX],
    ["no cookie past its Expires", [[EX, "a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]], EX],
    ["a cookie before its Expires", [[EX, "a=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT"]], EX],
    ["Max-Age over Expires", [[EX, "a=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT; Max-Age=0"]], EX],
    ["a session cookie for an unreadable Expires", [[EX, "a=1; Expires=soon"]], EX],
    ["no Secure cookie over http", [[EX, "a=1; Secure"]], "http://www.example.com/"],
    ["a Secure cookie over https", [["http://www.example.com/", "a=1; Secure"]], EX],
    ["no Secure cookie to localhost over http", [["https://localhost/", "a=1; Secure"]], "http://localhost/"],
    [
      "a Secure cookie to localhost by default",
      [["http://localhost/", "a=1; Secure"]],
      "http://localhost/",
      {},
    ],
    [
      "no Secure cookie set over http by default",
      [["http://example.com/", "a=1; Secure"]],
      "https://example.com/",
      {},
    ],
    ["no __Secure- cookie without Secure", [[EX, "__Secure-a=1"]], EX],
    ["a __Secure- cookie with Secure", [[EX, "__Secure-a=1; Secure"]], EX],
    ["a __Host- cookie on its host", [[EX, "__Host-a=1; Secure; Path=/"]], EX],
    ["no __Host- cookie with a Domain", [[EX, "__Host-a=1; Secure; Path=/; Domain=www.example.com"]], EX],
    ["no __Host- cookie with a default path", [[EX, "__Host-a=1; Secure"]], EX],
    ["a cookie to an IPv4 host", [["http://127.0.0.1:8000/", "a=1; Domain=127.0.0.1"]], "http://127.0.0.1/x"],
    ["no Domain cookie to an IPv4 host", [["http://10.0.0.1/", "a=1; Domain=0.0.1"]], "http://10.0.0.1/"],
    ["a cookie to an IPv6 host", [["http://[::1]:8080/", "a=1"]], "http://[::1]/x"],
    ["a Domain=localhost cookie", [["http://localhost/", "a=1; Domain=localhost"]], "http://localhost/"],
    [
      "no nameless or malformed cookie",
      [
        [EX, "=1"],
        [EX, "novalue"],
        [EX, "a=1\u0001"],
        [EX, ""],
      ],
      EX,
    ],
    ["a pair cut at a line break", [[EX, "a=b\nc=d; Path=/"]], EX],
    ["values as given, trimmed", [[EX, ' a = "x y" ; Path = /']], EX],
  ])("%s", (_case, received, target, options) => {
    const { tough: expected, browser: actual } = both(received, target, options);
    expect(actual).toEqual(expected);
  });

  it("differs only where tough-cookie consults the public-suffix list: Domain=co.uk", () => {
    const { tough: expected, browser: actual } = both(
      [["https://www.example.co.uk/", "a=1; Domain=co.uk"]],
      "https://other.co.uk/",
    );
    expect(expected).toEqual([]);
    expect(actual.map((cookie) => cookie.header)).toEqual(["a=1"]);
  });
});

const dateToken = fc.oneof(
  fc.constantFrom("Mon", "thu", "Jan", "feb", "DECEMBER", "GMT", "UTC", "+0000"),
  fc.integer({ min: 0, max: 99_999 }).map(String),
  fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99)).map(([h, m, s]) => `${h}:${String(m).padStart(2, "0")}:${s}`),
  fc.string({ maxLength: 4 }),
);
// Day, month, year (two or four digits) and time in any order, as RFC 850 and its relatives write them.
const dateParts = fc
  .tuple(
    fc.integer({ min: 0, max: 40 }).map(String),
    fc.constantFrom("Jan", "feb", "MAR", "Sept", "dec"),
    fc.oneof(
      fc.integer({ min: 0, max: 99 }).map(String),
      fc.integer({ min: 1500, max: 2200 }).map(String),
      fc.constantFrom("1600", "1601", "69", "70", "0", "00099"),
    ),
    fc.tuple(fc.nat(25), fc.nat(61), fc.nat(61)).map(([h, m, s]) => `${h}:${m}:${s}`),
  )
  .chain((parts) => fc.shuffledSubarray(parts, { minLength: 3 }))
  .map((parts) => parts.join(" "));
const dateText = fc.oneof(
  dateParts,
  fc
    .array(fc.tuple(dateToken, fc.constantFrom(" ", ", ", "-", "/", ";", "\t")), { maxLength: 8 })
    .map((parts) => parts.map(([token, delimiter]) => token + delimiter).join("")),
  fc
    .date({ min: new Date(-30_000_000_000_000), max: new Date(30_000_000_000_000), noInvalidDate: true })
    .map((date) => date.toUTCString()),
);

const attribute = fc.oneof(
  fc.tuple(
    fc.constantFrom("Domain", "DOMAIN"),
    fc.constantFrom("example.com", ".Example.COM", "", " a ", "."),
  ),
  fc.tuple(fc.constantFrom("Path", "path"), fc.constantFrom("/", "/a/b", "a", "", " /x ")),
  fc.tuple(
    fc.constantFrom("Max-Age", "max-age"),
    fc.oneof(fc.integer({ min: -100, max: 100_000 }).map(String), fc.constantFrom("", "12x", "+5", " 7 ")),
  ),
  fc.tuple(fc.constantFrom("Expires", "expires"), dateText),
  fc.tuple(fc.constantFrom("SameSite", "samesite"), fc.constantFrom("Lax", "strict", "NONE", "bogus", "")),
  fc.tuple(fc.constantFrom("Secure", "HttpOnly", "httponly"), fc.constantFrom("", "x")),
  fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 })),
);
const setCookie = fc
  .tuple(
    fc.string({ maxLength: 6 }),
    fc.constantFrom("=", "", " = ", "=="),
    fc.string({ maxLength: 6 }),
    fc.array(fc.tuple(attribute, fc.boolean()), { maxLength: 5 }),
  )
  .map(([name, equals, value, attributes]) =>
    [
      `${name}${equals}${value}`,
      ...attributes.map(([[key, val], bare]) => (bare && val === "" ? key : `${key}=${val}`)),
    ].join("; "),
  );

function fields(cookie: tough.Cookie | browser.Cookie | undefined) {
  if (cookie === undefined) return undefined;
  const { key, value, domain, path, secure, httpOnly, sameSite } = cookie;
  const expires = cookie.expires === "Infinity" ? "Infinity" : cookie.expires?.getTime();
  const maxAge =
    cookie.maxAge === "Infinity" ? Infinity : cookie.maxAge === "-Infinity" ? -Infinity : cookie.maxAge;
  return { key, value, domain, path, secure, httpOnly, sameSite, expires, maxAge };
}

describe("the browser cookie jar parses as tough-cookie does", () => {
  it("reads every cookie date alike", () => {
    fc.assert(
      fc.property(dateText, (text) => {
        expect(browser.parseDate(text)?.getTime()).toBe(tough.parseDate(text)?.getTime());
      }),
      { numRuns: 2000 },
    );
  });

  it("reads every Set-Cookie alike", () => {
    fc.assert(
      fc.property(setCookie, (header) => {
        expect(fields(browser.Cookie.parse(header))).toEqual(fields(tough.Cookie.parse(header)));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ["/", "/", true],
    ["/api/x", "/api", true],
    ["/api", "/api/", false],
    ["/apix", "/api", false],
    ["/api/", "/api/", true],
  ])("matches path %s against %s like tough-cookie", (requestPath, cookiePath, expected) => {
    expect(browser.pathMatch(requestPath, cookiePath)).toBe(expected);
    expect(tough.pathMatch(requestPath, cookiePath)).toBe(expected);
  });

  it.each(["", "/", "/a", "/a/", "/a/b", "a/b", "//"])(
    "takes the default path of %j like tough-cookie",
    (path) => {
      expect(browser.defaultPath(path)).toBe(tough.defaultPath(path));
    },
  );
});
