import { InvalidURL, QueryParams, URL, type URLOptions } from "@ferry/core";
import { describe, expect, it } from "vitest";

function invalid(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidURL);
    return (error as Error).message;
  }
  throw new Error("expected InvalidURL");
}

describe("URL parsing", () => {
  it("exposes every component of a complete URL", () => {
    const url = new URL("HTTPS://jo%40email.com:a%20secret@müller.de:1234/pa%20th?search=ab#anchorlink");
    expect(url.scheme).toBe("https");
    expect(url.userinfo).toBe("jo%40email.com:a%20secret");
    expect(url.username).toBe("jo@email.com");
    expect(url.password).toBe("a secret");
    expect(url.host).toBe("müller.de");
    expect(url.rawHost).toBe("xn--mller-kva.de");
    expect(url.port).toBe(1234);
    expect(url.netloc).toBe("xn--mller-kva.de:1234");
    expect(url.path).toBe("/pa th");
    expect(url.query).toBe("search=ab");
    expect(url.rawPath).toBe("/pa%20th?search=ab");
    expect(url.fragment).toBe("anchorlink");
    expect(url.toString()).toBe(
      "https://jo%40email.com:a%20secret@xn--mller-kva.de:1234/pa%20th?search=ab#anchorlink",
    );
  });

  it.each([
    ["https://www.example.com/", "https", "www.example.com", null, "/", "", ""],
    [
      "https://example.org:123/path/to/somewhere?abc=123#anchor",
      "https",
      "example.org",
      123,
      "/path/to/somewhere",
      "abc=123",
      "anchor",
    ],
    ["://example.com", "", "example.com", null, "/", "", ""],
    ["http://", "http", "", null, "/", "", ""],
    ["https://EXAMPLE.com/", "https", "example.com", null, "/", "", ""],
    ["https://023b76x43144/", "https", "023b76x43144", null, "/", "", ""],
    ["https://example.com:443/", "https", "example.com", null, "/", "", ""],
    ["http://example.com:80/", "http", "example.com", null, "/", "", ""],
    ["ftp://example.com:21/", "ftp", "example.com", null, "/", "", ""],
    ["ws://example.com:80/", "ws", "example.com", null, "/", "", ""],
    ["wss://example.com:443/", "wss", "example.com", null, "/", "", ""],
    ["http://example.com:443/", "http", "example.com", 443, "/", "", ""],
    ["http://example.com:/", "http", "example.com", null, "/", "", ""],
    ["https://example.com/abc/def/../ghi/./jkl", "https", "example.com", null, "/abc/ghi/jkl", "", ""],
    ["https://example.com/../abc", "https", "example.com", null, "/abc", "", ""],
    ["../abc", "", "", null, "../abc", "", ""],
    ["localhost:8000", "localhost", "", null, "8000", "", ""],
    ["1abc:def", "", "", null, "1abc:def", "", ""],
    ["/path?", "", "", null, "/path", "", ""],
  ])("parses %s", (input, scheme, host, port, path, query, fragment) => {
    const url = new URL(input);
    expect([url.scheme, url.host, url.port, url.path, url.query, url.fragment]).toEqual([
      scheme,
      host,
      port,
      path,
      query,
      fragment,
    ]);
  });

  it.each([
    [
      "https://example.com/!$&'()*+,;= abc ABC 123 :/[]@",
      "/!$&'()*+,;=%20abc%20ABC%20123%20:/[]@",
      "/!$&'()*+,;= abc ABC 123 :/[]@",
      "",
      "",
    ],
    [
      "https://example.com/!$&'()*+,;=%20abc%20ABC%20123%20:/[]@",
      "/!$&'()*+,;=%20abc%20ABC%20123%20:/[]@",
      "/!$&'()*+,;= abc ABC 123 :/[]@",
      "",
      "",
    ],
    ["https://example.com/ %61%62%63", "/%20%61%62%63", "/ abc", "", ""],
    [
      "https://example.com/?!$&'()*+,;= abc ABC 123 :/[]@?",
      "/?!$&'()*+,;=%20abc%20ABC%20123%20:/[]@?",
      "/",
      "!$&'()*+,;=%20abc%20ABC%20123%20:/[]@?",
      "",
    ],
    [
      "https://example.com/?!$&%27()*+,;=%20abc%20ABC%20123%20:%2F[]@?",
      "/?!$&%27()*+,;=%20abc%20ABC%20123%20:%2F[]@?",
      "/",
      "!$&%27()*+,;=%20abc%20ABC%20123%20:%2F[]@?",
      "",
    ],
    ["https://example.com/?%20%97%98%99", "/?%20%97%98%99", "/", "%20%97%98%99", ""],
    ["https://example.com/#!$&'()*+,;= abc ABC 123 :/[]@?#", "/", "/", "", "!$&'()*+,;= abc ABC 123 :/[]@?#"],
    ["https://example.com/ /🌟/", "/%20/%F0%9F%8C%9F/", "/ /🌟/", "", ""],
    ['https://example.com/{a}`b`?<c>"d"', "/%7Ba%7D%60b%60?%3Cc%3E%22d%22", "/{a}`b`", "%3Cc%3E%22d%22", ""],
    ["https://example.com/50%", "/50%", "/50%", "", ""],
    ["https://www.example.com/path", "/path", "/path", "", ""],
    ["https://www.example.com/path?", "/path?", "/path", "", ""],
    ["https://www.example.com/?a=b c&d=e/f", "/?a=b%20c&d=e/f", "/", "a=b%20c&d=e/f", ""],
    ["https://www.example.com/?a=b+c&d=e/f", "/?a=b+c&d=e/f", "/", "a=b+c&d=e/f", ""],
    [
      "http://webservice?u=phrase%20with spaces",
      "/?u=phrase%20with%20spaces",
      "/",
      "u=phrase%20with%20spaces",
      "",
    ],
  ])("percent-encodes %s as httpx does", (input, rawPath, path, query, fragment) => {
    const url = new URL(input);
    expect([url.rawPath, url.path, url.query, url.fragment]).toEqual([rawPath, path, query, fragment]);
  });

  it.each([
    ["https://username:password@example.com", "username:password", "username", "password"],
    [
      "https://username%40gmail.com:pa%20ssword@example.com",
      "username%40gmail.com:pa%20ssword",
      "username@gmail.com",
      "pa ssword",
    ],
    ["https://user%20name:p%40ssword@example.com", "user%20name:p%40ssword", "user name", "p@ssword"],
    [
      "https://username@gmail.com:pa ssword@example.com",
      "username%40gmail.com:pa%20ssword",
      "username@gmail.com",
      "pa ssword",
    ],
    ["https://user name:p@ssword@example.com", "user%20name:p%40ssword", "user name", "p@ssword"],
    ["https://user@example.com", "user", "user", ""],
  ])("reads the userinfo of %s", (input, userinfo, username, password) => {
    const url = new URL(input);
    expect([url.userinfo, url.username, url.password]).toEqual([userinfo, username, password]);
  });

  it.each([
    [
      "http://中国.icom.museum:80/",
      "http://xn--fiqs8s.icom.museum:80/",
      "中国.icom.museum",
      "xn--fiqs8s.icom.museum",
      null,
    ],
    [
      "http://Königsgäßchen.de",
      "http://xn--knigsgchen-b4a3dun.de",
      "königsgäßchen.de",
      "xn--knigsgchen-b4a3dun.de",
      null,
    ],
    ["https://faß.de", "https://xn--fa-hia.de", "faß.de", "xn--fa-hia.de", null],
    ["https://βόλος.com:443", "https://xn--nxasmm1c.com:443", "βόλος.com", "xn--nxasmm1c.com", null],
    ["http://ශ්‍රී.com:444", "http://xn--10cl1a0b660p.com:444", "ශ්‍රී.com", "xn--10cl1a0b660p.com", 444],
    [
      "https://نامه‌ای.com:4433",
      "https://xn--mgba3gch31f060k.com:4433",
      "نامه‌ای.com",
      "xn--mgba3gch31f060k.com",
      4433,
    ],
    ["https://www.Müller.de", "https://www.xn--mller-kva.de", "www.müller.de", "www.xn--mller-kva.de", null],
  ])("encodes the international host of %s with IDNA", (given, ascii, host, rawHost, port) => {
    const url = new URL(given);
    expect(url.equals(new URL(ascii))).toBe(true);
    expect([url.host, url.rawHost, url.port]).toEqual([host, rawHost, port]);
    expect(new URL(ascii).host).toBe(host);
  });

  it.each([
    ["http://[::ffff:192.168.0.1]:5678/", "::ffff:192.168.0.1", "[::ffff:192.168.0.1]:5678"],
    ["https://[2001:db8::ff00:42:8329]/", "2001:db8::ff00:42:8329", "[2001:db8::ff00:42:8329]"],
    ["https://[2001:DB8::1]/", "2001:db8::1", "[2001:db8::1]"],
    ["https://[::1]:8443/", "::1", "[::1]:8443"],
    ["https://1.2.3.4/", "1.2.3.4", "1.2.3.4"],
  ])("reads the IP address host of %s", (input, host, netloc) => {
    const url = new URL(input);
    expect([url.host, url.rawHost, url.netloc]).toEqual([host, host, netloc]);
  });

  it.each([
    ["https://example.com:abc/", "Invalid port: 'abc'"],
    ["https://example.com:-1/", "Invalid port: '-1'"],
    ["https://example.com:65536/", "Invalid port: '65536'"],
    ["https://[::1]x/", "Invalid port: 'x'"],
    ["https://999.999.999.999/", "Invalid IPv4 address: '999.999.999.999'"],
    ["https://1.2.3.04/", "Invalid IPv4 address: '1.2.3.04'"],
    ["https://[2001]/", "Invalid IPv6 address: '[2001]'"],
    ["https://[1::2::3]/", "Invalid IPv6 address: '[1::2::3]'"],
    ["https://[1:2:3:4:5:6:7:8:9]/", "Invalid IPv6 address: '[1:2:3:4:5:6:7:8:9]'"],
    ["https://☃.com/", "Invalid IDNA hostname: '☃.com'"],
    ["https://😇/", "Invalid IDNA hostname: '😇'"],
    ["https://exam le.com/", "Invalid host: 'exam le.com'"],
    ["https://www.example.com/\n", "Invalid non-printable ASCII character in URL, '\\n' at position 24."],
    ["https://www.example.com/\x00", "Invalid non-printable ASCII character in URL, '\\x00' at position 24."],
    ["https://www.example.com/\x7f", "Invalid non-printable ASCII character in URL, '\\x7f' at position 24."],
    ["https://example.com/" + "x".repeat(100_000), "URL too long"],
    ["https://u:p@[invalid!]//evilHost/path?t=w#tw", "Invalid IPv6 address: '[invalid!]'"],
    [":a:", "Relative URLs cannot have a ':' in the first path segment"],
  ])("rejects %j", (input, message) => {
    expect(invalid(() => new URL(input))).toBe(message);
  });

  it("counts the length in code points", () => {
    expect(() => new URL("https://example.com/" + "🌟".repeat(40_000))).not.toThrow();
  });

  it("accepts a URL, sharing its parsed state", () => {
    const url = new URL("https://example.com/a?b=1");
    const copy = new URL(url);
    expect(copy.toString()).toBe(url.toString());
    expect(copy.params).toBe(url.params);
  });

  it("accepts a WHATWG URL", () => {
    const url = new URL(new globalThis.URL("https://user:pw@EXAMPLE.com:8080/a b?c=d#e"));
    expect(url.toString()).toBe("https://user:pw@example.com:8080/a%20b?c=d#e");
  });

  it.each([[42], [{}], [null]])("rejects a url of type %o with a TypeError", (value) => {
    expect(() => new URL(value as unknown as string)).toThrow(TypeError);
  });

  it("tells absolute URLs from relative ones", () => {
    expect(new URL("https://example.com/").isAbsoluteUrl).toBe(true);
    expect(new URL("/path").isRelativeUrl).toBe(true);
    expect(new URL("https:/path").isRelativeUrl).toBe(true);
  });
});

describe("URLs parsed from the same string", () => {
  it("are equal, and each copy made from one leaves the others as they were", () => {
    const first = new URL("http://127.0.0.1:8080/items?page=1");
    const second = new URL("http://127.0.0.1:8080/items?page=1");
    expect(second.equals(first)).toBe(true);
    expect(first.params.get("page")).toBe("1");
    const copy = second.copyWith({ port: 9090, params: { page: 2 } });
    expect(copy.netloc).toBe("127.0.0.1:9090");
    expect(copy.toString()).toBe("http://127.0.0.1:9090/items?page=2");
    expect(first.netloc).toBe("127.0.0.1:8080");
    expect(new URL("http://127.0.0.1:8080/items?page=1").params.get("page")).toBe("1");
  });

  it("fail every time for an invalid string", () => {
    expect(invalid(() => new URL("http://999.0.0.1/"))).toBe(invalid(() => new URL("http://999.0.0.1/")));
  });

  it("parse a long string too", () => {
    const path = `/${"a".repeat(5000)}`;
    expect(new URL(`https://example.com${path}`).path).toBe(path);
    expect(new URL(`https://example.com${path}`).path).toBe(path);
  });
});

describe("URL components as options", () => {
  it("builds a URL from components", () => {
    const url = new URL("", { scheme: "https", host: "www.example.com", path: "/" });
    expect(url.toString()).toBe("https://www.example.com/");
    expect([url.userinfo, url.port, url.query, url.fragment]).toEqual(["", null, "", ""]);
  });

  it.each([["[::ffff:192.168.0.1]"], ["::ffff:192.168.0.1"]])("brackets the IPv6 host %s", (host) => {
    const url = new URL("", { scheme: "https", host, port: 443, path: "/" });
    expect([url.host, url.netloc, url.toString()]).toEqual([
      "::ffff:192.168.0.1",
      "[::ffff:192.168.0.1]",
      "https://[::ffff:192.168.0.1]/",
    ]);
  });

  it.each([
    [{ scheme: "~", host: "www.example.com", path: "/" }, "Invalid URL component 'scheme'"],
    [
      { scheme: "https", host: "www.example.com", path: "abc" },
      "For absolute URLs, path must be empty or begin with '/'",
    ],
    [{ path: "//abc" }, "Relative URLs cannot have a path starting with '//'"],
    [{ path: ":abc" }, "Relative URLs cannot have a path starting with ':'"],
    [{ path: "a:b/c" }, "Relative URLs cannot have a ':' in the first path segment"],
    [{ path: "/" + "x".repeat(100_000) }, "URL component 'path' too long"],
    [{ path: "/\n" }, "Invalid non-printable ASCII character in URL path component, '\\n' at position 1."],
    [{ path: "/a?b" }, "Invalid URL component 'path'"],
    [{ userinfo: "a@b" }, "Invalid URL component 'userinfo'"],
  ] as [URLOptions, string][])("rejects the components %j", (options, message) => {
    expect(invalid(() => new URL("", options))).toBe(message);
  });

  it.each([
    [{ scheme: "https://xxxx:xxxx@xxxxxxx/xxxxx/xxx?x=x#xxxxx" }, "Invalid URL component 'scheme'"],
    [{ path: "relative" }, "For absolute URLs, path must be empty or begin with '/'"],
    [{ port: 70000 }, "Invalid port: '70000'"],
  ] as [URLOptions, string][])("rejects copying with %j", (options, message) => {
    expect(invalid(() => new URL("https://example.com/path?t=w#tw").copyWith(options))).toBe(message);
  });

  it("keeps a relative path valid for a relative URL", () => {
    expect(new URL("", { path: "abc" }).path).toBe("abc");
  });

  it.each([
    [{ pathh: "/x" }, "'pathh' is an invalid option for URL()"],
    [{ userinfo: 42 }, "URL option 'userinfo' must be a string, got number"],
    [{ port: "80" }, "URL option 'port' must be a number, got string"],
    [{ port: 1.5 }, "URL option 'port' must be an integer, got 1.5"],
  ])("rejects the option %j with a TypeError naming it", (options, message) => {
    const url = new URL("https://example.org");
    expect(() => url.copyWith(options as unknown as URLOptions)).toThrow(new TypeError(message));
  });
});

describe("URL.copyWith", () => {
  it("replaces one component at a time", () => {
    let url = new URL("https://www.example.com/");
    expect(url.copyWith().toString()).toBe("https://www.example.com/");
    url = url.copyWith({ scheme: "http" });
    expect(url.toString()).toBe("http://www.example.com/");
    url = url.copyWith({ netloc: "example.com" });
    expect(url.toString()).toBe("http://example.com/");
    url = url.copyWith({ path: "/abc" });
    expect(url.toString()).toBe("http://example.com/abc");
  });

  it.each([
    [
      { username: "username", password: "password", port: 444, host: "example.net" },
      "https://username:password@example.net:444",
    ],
    [{ netloc: "example.net:444" }, "https://example.net:444"],
    [
      { username: "tom@example.org", password: "abc123@ %" },
      "https://tom%40example.org:abc123%40%20%@example.org",
    ],
    [{ port: 443 }, "https://example.org"],
    [{ port: null }, "https://example.org"],
    [{ userinfo: "a:b" }, "https://a:b@example.org"],
    [{ query: "a=123" }, "https://example.org?a=123"],
    [{ fragment: "top" }, "https://example.org#top"],
    [{ params: { a: "b c", d: "e/f" } }, "https://example.org?a=b+c&d=e%2Ff"],
    [{ params: {} }, "https://example.org"],
    [{ rawPath: "/some/path?" }, "https://example.org/some/path?"],
  ] as [URLOptions, string][])("applies %j", (options, expected) => {
    expect(new URL("https://example.org").copyWith(options).toString()).toBe(expected);
  });

  // Changing only the path and query keeps the authority as it is; giving the scheme as well parses it all again.
  it.each<[string, URLOptions]>([
    ["https://user:pw@Bücher.example:8443/base/", { rawPath: "/base/a b/./c/../d?q=1 2&x=é" }],
    ["https://user:pw@Bücher.example:8443/base/", { path: "/ü/%2F/x y" }],
    ["https://example.org", { path: "" }],
    ["https://example.org/p?keep=1#frag", { path: "/other" }],
    ["https://example.org/p?keep=1#frag", { rawPath: "/other" }],
    ["http://[::1]:8080/", { rawPath: "/v1/../v2/items?" }],
    ["relative/path", { path: "other/x" }],
    ["relative/path", { path: "a:b" }],
    ["https://example.org", { path: "relative" }],
    ["https://example.org", { path: "/a\nb" }],
    ["https://example.org", { rawPath: "/a#b" }],
  ])("copies %s with %j as a full parse would", (base, options) => {
    const url = new URL(base);
    const outcome = (change: () => URL) => {
      try {
        const copy = change();
        return [copy.toString(), copy.rawPath, copy.netloc, copy.fragment];
      } catch (error) {
        return [(error as Error).constructor.name, (error as Error).message];
      }
    };
    expect(outcome(() => url.copyWith(options))).toEqual(
      outcome(() => url.copyWith({ ...options, scheme: url.scheme })),
    );
  });

  it("decodes the username and password it encoded", () => {
    const url = new URL("https://example.org").copyWith({
      username: "tom@example.org",
      password: "abc123@ %",
    });
    expect([url.username, url.password, url.userinfo]).toEqual([
      "tom@example.org",
      "abc123@ %",
      "tom%40example.org:abc123%40%20%",
    ]);
  });

  it.each([
    ["/path to somewhere", undefined, "/path to somewhere", "", "/path%20to%20somewhere"],
    [undefined, "a=123", "/", "a=123", "/?a=123"],
  ])("sets path %j and query %j", (path, query, decoded, encodedQuery, rawPath) => {
    const options: URLOptions = {};
    if (path !== undefined) options.path = path;
    if (query !== undefined) options.query = query;
    const url = new URL("https://example.org").copyWith(options);
    expect([url.path, url.query, url.rawPath]).toEqual([decoded, encodedQuery, rawPath]);
  });

  it.each([
    ["/some/path", "/some/path", "", "/some/path"],
    ["/some/path?", "/some/path", "", "/some/path?"],
    ["/some/path?a=123", "/some/path", "a=123", "/some/path?a=123"],
  ])("sets the raw path %j", (rawPath, path, query, expected) => {
    const url = new URL("https://example.org").copyWith({ rawPath });
    expect([url.path, url.query, url.rawPath]).toEqual([path, query, expected]);
  });

  it("keeps every other component when only the query changes", () => {
    const url = new URL("https://u:p@example.org:8443/a%20b?x=1#frag").copyWith({ query: "y=2 3" });
    expect(url.toString()).toBe("https://u:p@example.org:8443/a%20b?y=2%203#frag");
    expect(url.copyWith({ query: null }).toString()).toBe("https://u:p@example.org:8443/a%20b#frag");
  });

  it.each([
    ["a#b", "Invalid URL component 'query'"],
    ["\t", "Invalid non-printable ASCII character in URL query component, '\\t' at position 0."],
  ])("validates a replacement query %j", (query, message) => {
    expect(invalid(() => new URL("https://example.org/").copyWith({ query }))).toBe(message);
  });

  it("renormalises the port for a new scheme", () => {
    expect(new URL("http://example.com:443/").copyWith({ scheme: "https" }).port).toBeNull();
  });

  it.each([["http://127.0.0.1:1234"], ["http://example.com:1234"], ["http://[::ffff:127.0.0.1]:1234"]])(
    "replaces the host of %s with an IPv6 address",
    (input) => {
      for (const host of ["[::ffff:192.168.0.1]", "::ffff:192.168.0.1"]) {
        const url = new URL(input).copyWith({ host });
        expect([url.host, url.netloc, url.toString()]).toEqual([
          "::ffff:192.168.0.1",
          "[::ffff:192.168.0.1]:1234",
          "http://[::ffff:192.168.0.1]:1234",
        ]);
      }
    },
  );

  it("replaces the query of the string with params given as an option", () => {
    const url = new URL("https://example.org:123/path/to/somewhere?b=456", { params: { a: "123" } });
    expect(url.toString()).toBe("https://example.org:123/path/to/somewhere?a=123");
    expect(url.params.equals(new QueryParams({ a: "123" }))).toBe(true);
  });

  it.each([
    [{ u: "with spaces" }, "http://webservice?u=with+spaces"],
    [{ u: "%" }, "http://webservice?u=%25"],
    [{ u: "with%20spaces" }, "http://webservice?u=with%2520spaces"],
    [{ u: "http://example.com?q=foo%2Fa" }, "http://webservice?u=http%3A%2F%2Fexample.com%3Fq%3Dfoo%252Fa"],
  ])("form-encodes params %j", (params, expected) => {
    expect(new URL("http://webservice", { params }).toString()).toBe(expected);
  });
});

describe("URL query parameter helpers", () => {
  const url = new URL("https://example.org:123/?a=123");

  it.each([
    [url.copySetParam("a", "456"), "https://example.org:123/?a=456"],
    [url.copyAddParam("a", "456"), "https://example.org:123/?a=123&a=456"],
    [url.copyRemoveParam("a"), "https://example.org:123/"],
    [url.copyMergeParams({ b: "456" }), "https://example.org:123/?a=123&b=456"],
    [url.copyMergeParams({ a: ["1", "2"] }), "https://example.org:123/?a=1&a=2"],
    [url.copySetParam("flag", true), "https://example.org:123/?a=123&flag=true"],
  ])("gives %s", (result, expected) => {
    expect(result.equals(expected)).toBe(true);
  });

  it("leaves the original URL unchanged", () => {
    expect(url.toString()).toBe("https://example.org:123/?a=123");
  });

  it.each<Record<string, string | string[]>>([
    { q: "a b&c=d", empty: "" },
    { ключ: "значение", emoji: "😀" },
    { reserved: "#?/:@!$'()*,;%+" },
    { a: ["1", "2"], b: "x" },
  ])("gives the URL copyWith({ params }) gives for %j", (params) => {
    const international = new URL("https://user:pw@Bücher.example:8443/päth?a=1");
    const merged = international.copyMergeParams(params);
    const expected = international.copyWith({ params: international.params.merge(params) });
    expect(merged.toString()).toBe(expected.toString());
    expect(merged.netloc).toBe("xn--bcher-kva.example:8443");
    expect(merged.host).toBe("bücher.example");
    expect(merged.params.equals(expected.params)).toBe(true);
  });

  it("drops the query when no parameter is left", () => {
    expect(url.copyRemoveParam("a").rawPath).toBe("/");
    expect(url.copyRemoveParam("a").query).toBe("");
  });
});

describe("URL.join", () => {
  const base = new URL("http://example.com/b/c/d;p?q");

  // RFC 3986 section 5.4.1 and 5.4.2, with a base whose authority is example.com.
  it.each([
    ["g", "http://example.com/b/c/g"],
    ["./g", "http://example.com/b/c/g"],
    ["g/", "http://example.com/b/c/g/"],
    ["/g", "http://example.com/g"],
    ["//g", "http://g"],
    ["?y", "http://example.com/b/c/d;p?y"],
    ["g?y", "http://example.com/b/c/g?y"],
    ["#s", "http://example.com/b/c/d;p?q#s"],
    ["g#s", "http://example.com/b/c/g#s"],
    ["g?y#s", "http://example.com/b/c/g?y#s"],
    [";x", "http://example.com/b/c/;x"],
    ["g;x", "http://example.com/b/c/g;x"],
    ["g;x?y#s", "http://example.com/b/c/g;x?y#s"],
    ["", "http://example.com/b/c/d;p?q"],
    [".", "http://example.com/b/c/"],
    ["./", "http://example.com/b/c/"],
    ["..", "http://example.com/b/"],
    ["../", "http://example.com/b/"],
    ["../g", "http://example.com/b/g"],
    ["../..", "http://example.com/"],
    ["../../", "http://example.com/"],
    ["../../g", "http://example.com/g"],
    ["../../../g", "http://example.com/g"],
    ["../../../../g", "http://example.com/g"],
    ["/./g", "http://example.com/g"],
    ["/../g", "http://example.com/g"],
    ["g.", "http://example.com/b/c/g."],
    [".g", "http://example.com/b/c/.g"],
    ["g..", "http://example.com/b/c/g.."],
    ["..g", "http://example.com/b/c/..g"],
    ["./../g", "http://example.com/b/g"],
    ["./g/.", "http://example.com/b/c/g/"],
    ["g/./h", "http://example.com/b/c/g/h"],
    ["g/../h", "http://example.com/b/c/h"],
    ["g;x=1/./y", "http://example.com/b/c/g;x=1/y"],
    ["g;x=1/../y", "http://example.com/b/c/y"],
    ["g?y/./x", "http://example.com/b/c/g?y/./x"],
    ["g?y/../x", "http://example.com/b/c/g?y/../x"],
    ["g#s/./x", "http://example.com/b/c/g#s/./x"],
    ["g#s/../x", "http://example.com/b/c/g#s/../x"],
    ["http:g", "http://example.com/b/c/g"],
    ["https://other.org/x/../y", "https://other.org/y"],
  ])("resolves %j", (reference, expected) => {
    expect(base.join(reference).toString()).toBe(expected);
  });

  it.each([
    ["/somewhere-else", "https://example.org:123/somewhere-else"],
    ["somewhere-else", "https://example.org:123/path/to/somewhere-else"],
    ["../somewhere-else", "https://example.org:123/path/somewhere-else"],
    ["../../somewhere-else", "https://example.org:123/somewhere-else"],
  ])("resolves %j against a base with a port", (reference, expected) => {
    expect(new URL("https://example.org:123/path/to/somewhere").join(reference).toString()).toBe(expected);
  });

  it.each([
    ["/somewhere-else", "/somewhere-else"],
    ["somewhere-else", "/path/to/somewhere-else"],
    ["../somewhere-else", "/path/somewhere-else"],
    ["../../somewhere-else", "/somewhere-else"],
  ])("resolves %j against a relative base", (reference, expected) => {
    expect(new URL("/path/to/somewhere").join(reference).toString()).toBe(expected);
  });

  it("resolves against a base whose query has brackets", () => {
    expect(new URL("https://example.com/?[]").join("/").toString()).toBe("https://example.com/");
  });

  it("accepts a URL as the reference", () => {
    expect(base.join(new URL("../g")).toString()).toBe("http://example.com/b/g");
  });
});

describe("URL equality and serialisation", () => {
  const url = new URL("https://example.org:123/path/to/somewhere?abc=123#anchor");

  it("equals its own string and an equivalent URL", () => {
    expect(url.equals("https://example.org:123/path/to/somewhere?abc=123#anchor")).toBe(true);
    expect(url.equals(new URL(url.toString()))).toBe(true);
    expect(new URL("http://example.com").equals("http://example.com:80")).toBe(true);
  });

  it.each([["https://example.org/"], ["not a url:99999999"], [42], [null]])("differs from %j", (other) => {
    expect(url.equals(other)).toBe(false);
  });

  it("keeps the userinfo in toString and toJSON", () => {
    const withAuth = new URL("https://user:secret@example.org/");
    expect(withAuth.toString()).toBe("https://user:secret@example.org/");
    expect(JSON.stringify({ url: withAuth })).toBe('{"url":"https://user:secret@example.org/"}');
  });

  it("masks the password when inspected", async () => {
    const { inspect } = await import("node:util");
    expect(inspect(new URL("https://user:secret@example.org/"))).toBe(
      "URL('https://user:[secure]@example.org/')",
    );
  });

  it("re-serialises a path that starts with // without turning it into a host", () => {
    const odd = new URL("http:////a");
    expect(new URL(odd.toString()).equals(odd)).toBe(true);
    expect(odd.rawHost).toBe("");
  });
});
