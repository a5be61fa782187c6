import type { DependencyView, WhoExports } from '../contract/dependencies-contract.ts';
import { ApiError, type OpenDocument, type RequestArgs } from '../contract/api-contract.ts';
import type { FileReport } from '../report/report-document.ts';
import { SESSION_MODULE_LIMIT, SessionModuleCache, createSessionCaches } from './session-caches.ts';
import { dependencyView } from './dependency-view.ts';
import { whoExports } from './who-exports.ts';

/**
 * The Dependencies tab's requests, answered from an open document's full report (trees and import
 * lists as triaged in the settings' load context). Modules are parsed here, on the serving
 * thread, once per session: imports for the functions per node, version resources for the list.
 */
export class DependencyRequests {
  private readonly caches = createSessionCaches();
  private readonly details = new SessionModuleCache(SESSION_MODULE_LIMIT, { details: true, entropy: false });

  view(opened: OpenDocument, { file, host }: RequestArgs<'dependencies.view'>): DependencyView {
    return dependencyView(reportOf(opened, file), host, this.caches, this.details);
  }

  whoExports(opened: OpenDocument, { file, host, query }: RequestArgs<'dependencies.whoExports'>): WhoExports {
    return whoExports(reportOf(opened, file), host, query, this.caches);
  }
}

function reportOf(opened: OpenDocument, file: string): FileReport {
  const report = opened.document.results.find((r) => r.file === file);
  if (!report) throw new ApiError('not-found', `${file} is not part of this report: open it again`);
  return report;
}
