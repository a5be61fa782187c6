import type { AgentContext } from './agent.ts';
export function installCrashReporter(_ctx: AgentContext): void {}
