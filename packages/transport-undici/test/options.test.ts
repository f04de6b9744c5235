import { Limits } from "@ferry/core";
import { certs } from "@ferry/test-servers";
import { describe, expect, it } from "vitest";
import { UndiciTransport, type UndiciTransportOptions } from "../src/index.js";

describe("UndiciTransport options", () => {
  it.each<[string, unknown, ErrorConstructor, RegExp]>([
    ["an unknown option", { http3: true }, TypeError, /unknown option "http3"/],
    ["a non-object", "fast", TypeError, /options object, got "fast"/],
    ["http1 not a boolean", { http1: "yes" }, TypeError, /^http1: .*got "yes"/],
    ["http2 not a boolean", { http2: 1 }, TypeError, /^http2: .*got 1/],
    ["both HTTP versions off", { http1: false, http2: false }, RangeError, /^http1, http2: /],
    ["trustEnv not a boolean", { trustEnv: null }, TypeError, /^trustEnv: .*got null/],
    ["verify of a wrong type", { verify: 42 }, TypeError, /^verify: .*got 42/],
    [
      "verify naming a missing file",
      { verify: "/no/such/ca.pem" },
      TypeError,
      /^verify: .*"\/no\/such\/ca\.pem"/,
    ],
    [
      "cert naming a missing file",
      { cert: "/no/such/cert.pem" },
      TypeError,
      /^cert: .*"\/no\/such\/cert\.pem"/,
    ],
    ["cert of a wrong shape", { cert: [1, 2] }, TypeError, /^cert: .*got \[1,2\]/],
    ["cert with too many parts", { cert: ["a", "b", "c", "d"] }, TypeError, /^cert: /],
    ["limits of a wrong type", { limits: 10 }, TypeError, /^limits: .*got 10/],
    ["negative retries", { retries: -1 }, RangeError, /^retries: .*got -1/],
    ["fractional retries", { retries: 1.5 }, RangeError, /^retries: .*got 1\.5/],
    ["retries not a number", { retries: "2" }, TypeError, /^retries: .*got "2"/],
    ["localAddress not an IP", { localAddress: "localhost" }, TypeError, /^localAddress: .*got "localhost"/],
    ["uds empty", { uds: "" }, TypeError, /^uds: /],
    ["an unknown socket option", { socketOptions: { reuseport: true } }, TypeError, /"reuseport"/],
    [
      "a bad socket option value",
      { socketOptions: { family: 5 } },
      RangeError,
      /^socketOptions\.family: .*5/,
    ],
    ["a proxy that is not a URL", { proxy: "not a url" }, TypeError, /^proxy: .*"not a url"/],
    ["a proxy of a wrong type", { proxy: 3128 }, TypeError, /^proxy: .*got 3128/],
    ["a proxy scheme Ferry does not speak", { proxy: "ftp://proxy:21" }, RangeError, /^proxy: .*"ftp:"/],
  ])("refuses %s at construction", (_name, options, ErrorClass, message) => {
    expect(() => new UndiciTransport(options as UndiciTransportOptions)).toThrow(ErrorClass);
    expect(() => new UndiciTransport(options as UndiciTransportOptions)).toThrow(message);
  });

  it.each<[string, UndiciTransportOptions]>([
    ["no options", {}],
    [
      "every option",
      {
        verify: certs.caPath,
        cert: [certs.clientCertPath, certs.clientKeyPath],
        http1: true,
        http2: true,
        limits: new Limits({ maxConnections: 5, maxKeepaliveConnections: 2, keepaliveExpiry: null }),
        proxy: "socks5h://user:pass@127.0.0.1:1080",
        trustEnv: false,
        uds: null,
        localAddress: "127.0.0.1",
        retries: 2,
        socketOptions: { keepAlive: true, keepAliveInitialDelay: 1000, noDelay: true, family: 4 },
      },
    ],
    ["limits as a plain object", { limits: { maxConnections: 1 } }],
    ["an https proxy", { proxy: "https://proxy.example:8443" }],
    ["a socks4a proxy", { proxy: "socks4a://127.0.0.1" }],
  ])("accepts %s", async (_name, options) => {
    const transport = new UndiciTransport(options);
    await transport.close();
  });
});
