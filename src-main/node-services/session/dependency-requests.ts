import type { DependencyView, WhoExports } from '../../contract/dependencies-contract.ts';
import { ApiError, type OpenDocument, type RequestArgs, type RequestResult } from '../../contract/api-contract.ts';
import type { FileReport } from '../../analysis/report/report-document.ts';
import { SESSION_MODULE_LIMIT, SessionModuleCache, createSessionCaches } from './session-caches.ts';
import { dependencyView, type FlatTree } from './dependency-view.ts';
import { whoExports } from './who-exports.ts';

/** Views kept for their function lists (asked for one node at a time): a few files and hosts. */
const KEPT_VIEWS = 8;

interface KeptView {
  view: DependencyView;
  functions: FlatTree['functions'];
}

/**
 * The Dependencies tab's requests, answered from an open document's full report (trees and import
 * lists as triaged in the settings' load context). Modules are parsed here, on the serving
 * thread, once per session: imports for the functions per node, version resources for the list.
 */
export class DependencyRequests {
  private readonly caches = createSessionCaches();
  private readonly details = new SessionModuleCache(SESSION_MODULE_LIMIT, { details: true, entropy: false });
  private readonly kept = new Map<string, KeptView>();

  view(opened: OpenDocument, args: RequestArgs<'dependencies.view'>): DependencyView {
    return this.flat(opened, args).view;
  }

  functions(opened: OpenDocument, args: RequestArgs<'dependencies.functions'>): RequestResult<'dependencies.functions'> {
    const { functions } = this.flat(opened, args);
    if (args.node >= functions.length) throw new ApiError('not-found', `the tree has no node ${args.node}: show the file's dependencies again`);
    return { node: args.node, functions: functions[args.node] ?? [] };
  }

  whoExports(opened: OpenDocument, { file, host, query }: RequestArgs<'dependencies.whoExports'>): WhoExports {
    return whoExports(reportOf(opened, file), host, query, this.caches);
  }

  /** An open document never changes (a new load context makes a new one), so its views can be kept. */
  private flat(opened: OpenDocument, { file, host }: RequestArgs<'dependencies.view'>): KeptView {
    const key = `${opened.id}|${file}|${host}`;
    let kept = this.kept.get(key);
    if (!kept) {
      kept = dependencyView(reportOf(opened, file), host, this.caches, this.details);
      this.kept.set(key, kept);
      if (this.kept.size > KEPT_VIEWS) this.kept.delete(this.kept.keys().next().value!);
    }
    return kept;
  }
}

function reportOf(opened: OpenDocument, file: string): FileReport {
  const report = opened.document.results.find((r) => r.file === file);
  if (!report) throw new ApiError('not-found', `${file} is not part of this report: open it again`);
  return report;
}
