/** Entry for browsers: the page calls `runFerryScenario(origin)` and hands the report to the driver. */
import { runScenario } from "../scenario.js";

(globalThis as { runFerryScenario?: typeof runScenario }).runFerryScenario = runScenario;
