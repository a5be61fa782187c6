// Creates the Wine prefix the agents run in (build/wine-prefix), so the first agent start in a
// test or a triage does not pay wineboot's ~10-20 s. Says why and exits 0 when Wine is absent.
import { locateRuntime, RuntimeMissingError } from '../src-main/node-services/agent/runtime-locator.ts';
import { ensureWinePrefix } from '../src-main/node-services/agent/wine-prefix.ts';

try {
  const runtime = locateRuntime('win32-x64');
  if (runtime.wine) {
    await ensureWinePrefix(runtime.wine);
    process.stdout.write(`Wine prefix ready: ${runtime.wine.prefix} (${runtime.wine.version})\n`);
  }
} catch (error) {
  if (!(error instanceof RuntimeMissingError)) throw error;
  process.stdout.write(`No Wine prefix prepared: ${error.message}\n`);
}
