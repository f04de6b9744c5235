/**
 * `@ferry/transport-mock/vitest`: a {@link MockRouter} scoped to one vitest test, which checks at the end of the
 * test that every route was called and every request matched.
 *
 * @module
 */
import { onTestFinished } from "vitest";
import { MockRouter, type MockRouterOptions } from "./router.js";

/** Options of {@link mockRouter}: the router's, and which checks to run when the test ends. */
export interface ScopedMockRouterOptions extends MockRouterOptions {
  /** Check with `assertAllCalled()` that every route was called (default `true`). */
  assertAllCalled?: boolean | undefined;
}

/**
 * Makes a {@link MockRouter} for the current test. When the test ends, unless it already failed, the router checks
 * that every route was called as expected (`assertAllCalled`) and, unless `assertAllMocked: false` lets unmatched
 * requests through, that every request matched a route (`assertAllMocked`), failing the test otherwise. Call it in
 * a test or in `beforeEach`.
 *
 * ```ts
 * import { mockRouter } from "@ferry/transport-mock/vitest";
 *
 * it("fetches the user", async () => {
 *   const router = mockRouter({ baseUrl: "https://api.example.com" });
 *   router.get("/users/1").respond({ json: { name: "Ada" } });
 *   const client = new Client({ transport: router });
 *   expect((await client.get("https://api.example.com/users/1")).json()).toEqual({ name: "Ada" });
 * }); // fails here if a route was not called
 * ```
 */
export function mockRouter(options: ScopedMockRouterOptions = {}): MockRouter {
  const { assertAllCalled = true, ...routerOptions } = options;
  const router = new MockRouter(routerOptions);
  onTestFinished((context) => {
    // A test that failed already has its own error; the router's would only add noise to the report.
    if (context.task.result?.state === "fail") return;
    if (assertAllCalled) router.assertAllCalled();
    if (routerOptions.assertAllMocked !== false) router.assertAllMocked();
  });
  return router;
}
