/**
 * The behaviour tables every kind of client runs: `client-behaviours.test.ts` runs them against `Client` (without
 * hooks and with one, its two paths), `sync-client.test.ts` against `SyncClient`. A behaviour added here is checked
 * for all of them.
 */
import { authBehaviours } from "./auth.js";
import { cookieBehaviours } from "./cookies.js";
import type { Behaviour } from "./harness.js";
import { headerBehaviours } from "./headers.js";
import { hookBehaviours } from "./hooks.js";
import { redirectBehaviours } from "./redirects.js";
import { requestBehaviours } from "./requests.js";
import { sessionBehaviours } from "./session.js";

export {
  type Behaviour,
  clientHarness,
  type Harness,
  hookedClientHarness,
  syncClientHarness,
} from "./harness.js";

/** The tables, by topic. */
export const behaviourTables: ReadonlyArray<{ readonly topic: string; readonly rows: readonly Behaviour[] }> =
  [
    { topic: "requests", rows: requestBehaviours },
    { topic: "headers and params", rows: headerBehaviours },
    { topic: "redirects", rows: redirectBehaviours },
    { topic: "auth", rows: authBehaviours },
    { topic: "cookies", rows: cookieBehaviours },
    { topic: "event hooks", rows: hookBehaviours },
    { topic: "session", rows: sessionBehaviours },
  ];
