import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ResponseParser } from "../src/http1-response-parser.js";

interface Parsed {
  status: number;
  reason: string;
  headers: Array<[string, string]>;
  body: string;
  ended: boolean;
}

function parse(raw: string, pieces: readonly number[] = [raw.length], head = false, finish = false): Parsed {
  const parsed: Parsed = { status: 0, reason: "", headers: [], body: "", ended: false };
  const decoder = new TextDecoder();
  const parser = new ResponseParser(
    {
      head: (status, reason, headers) => Object.assign(parsed, { status, reason, headers }),
      body: (chunk) => (parsed.body += decoder.decode(chunk)),
      end: () => (parsed.ended = true),
    },
    head,
  );
  const bytes = new TextEncoder().encode(raw);
  let offset = 0;
  for (const size of [...pieces, bytes.byteLength]) {
    if (offset >= bytes.byteLength) break;
    parser.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  if (finish) parser.finish();
  return parsed;
}

const CHUNKED =
  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: t\r\n\r\n";

describe("ResponseParser", () => {
  it.each([
    ["a sized body", "HTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\nhello", 201, "Created", "hello"],
    ["a chunked body with extensions and trailers", CHUNKED, 200, "OK", "hello, world"],
    ["an empty sized body", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 200, "OK", ""],
    ["a 204", "HTTP/1.1 204 No Content\r\n\r\n", 204, "No Content", ""],
    ["a 304", "HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", 304, "Not Modified", ""],
    [
      "an interim 100 before the response",
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
      200,
      "OK",
      "ok",
    ],
    ["no reason phrase", "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok", 200, "", "ok"],
  ])("parses %s", (_, raw, status, reason, body) => {
    const parsed = parse(raw);
    expect(parsed).toMatchObject({ status, reason, body, ended: true });
  });

  it("keeps header names as written, in order, with repeats", () => {
    const parsed = parse(
      "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nContent-Length: 0\r\n\r\n",
    );
    expect(parsed.headers).toEqual([
      ["Set-Cookie", "a=1"],
      ["set-cookie", "b=2"],
      ["Content-Length", "0"],
    ]);
  });

  it("gives the answer to HEAD no body, whatever its Content-Length", () => {
    expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", undefined, true)).toMatchObject({
      body: "",
      ended: true,
    });
  });

  it("reads a body without framing until the response ends", () => {
    const unfinished = parse("HTTP/1.1 200 OK\r\n\r\nabc");
    expect(unfinished).toMatchObject({ body: "abc", ended: false });
    expect(parse("HTTP/1.1 200 OK\r\n\r\nabc", undefined, false, true)).toMatchObject({
      body: "abc",
      ended: true,
    });
  });

  it("parses the same however the bytes are split", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 40 }), (pieces) => {
        expect(parse(CHUNKED, pieces)).toMatchObject({ status: 200, body: "hello, world", ended: true });
      }),
    );
  });

  it.each([
    ["an invalid status line", "HTTP/2 200 OK\r\n\r\n", /invalid status line/],
    ["an invalid header line", "HTTP/1.1 200 OK\r\nno colon\r\n\r\n", /invalid header line/],
    [
      "an invalid chunk size",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      /invalid chunk size/,
    ],
    ["a malformed chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\naXY", /malformed chunk/],
    ["an invalid Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", /invalid Content-Length/],
  ])("rejects %s", (_, raw, message) => {
    expect(() => parse(raw)).toThrow(message);
  });

  it("says when the response stops before its body is complete", () => {
    expect(() => parse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc", undefined, false, true)).toThrow(
      "The app's response ended in the middle of its body.",
    );
  });
});
