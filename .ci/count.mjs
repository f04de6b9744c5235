// Prints vitest's own counts from its JSON report as the closing "N passed, N failed" line. A run that vitest ended
// with a non-zero status although no test failed (unhandled errors, a suite that could not load) counts as one failure.
import { readFileSync } from "node:fs";

const [reportPath, status = "0"] = process.argv.slice(2);
const report = JSON.parse(readFileSync(reportPath, "utf8"));
const passed = report.numPassedTests ?? 0;
let failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
if (failed === 0 && status !== "0") {
  console.log(`vitest exited with status ${status} although no test failed: see the errors above.`);
  failed = 1;
}
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
