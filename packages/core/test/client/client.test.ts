import { Client, Request, Response, URL } from "@ferry/core";
import { MockTransport } from "@ferry/transport-mock";
import { describe, expect, it } from "vitest";

const decoder = new TextDecoder();

/** A client whose transport echoes the method, URL, headers and body of each request as JSON. */
function echoClient(options: ConstructorParameters<typeof Client>[0] = {}): Client {
  const transport = new MockTransport(
    (request) =>
      new Response(200, {
        json: {
          method: request.method,
          url: String(request.url),
          headers: request.headers.raw,
          body: decoder.decode(request.content),
        },
      }),
  );
  return new Client({ transport, ...options });
}

describe("Client", () => {
  it("sends a GET and reads the response", async () => {
    await using client = echoClient();
    const response = await client.get("http://example.org/path?x=1");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ method: "GET", url: "http://example.org/path?x=1", body: "" });
    expect(response.request).toBeInstanceOf(Request);
    expect(response.url).toBeInstanceOf(URL);
    expect(response.isClosed).toBe(true);
  });

  it("sends a POST with a JSON body", async () => {
    await using client = echoClient();
    const response = await client.post("http://example.org/items", { json: { a: 1 } });
    expect(response.json()).toMatchObject({ method: "POST", body: '{"a":1}' });
  });
});
