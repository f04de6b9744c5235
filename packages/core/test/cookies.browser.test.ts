/**
 * The Cookies suite again, on the cookie jar of browser builds: in Node `#cookie-jar` resolves to tough-cookie,
 * so replacing tough-cookie with cookie-jar.browser.ts puts both Cookies and the suite's own jars on it.
 */
import { Cookies } from "@ferry/core";
import { expect, it, vi } from "vitest";
import { CookieJar } from "../src/cookie-jar.browser.js";
import "./cookies.test.js";

vi.mock("tough-cookie", () => import("../src/cookie-jar.browser.js"));

it("runs the suite on the browser jar", () => {
  expect(new Cookies().jar).toBeInstanceOf(CookieJar);
});
