// Test helper: spawns an agent, sends requests, collects frames per request.
import { spawn, type ChildProcess } from 'node:child_process';
import { FrameDecoder, encodeFrame } from '../protocol/framing.ts';
import type { AgentMessage, LogEvent, Op, Response } from '../protocol/messages.ts';
import { validateAgentMessage } from '../protocol/messages.ts';

export interface Exchange {
  response: Response;
  logs: LogEvent[];
}

export class AgentHarness {
  readonly messages: AgentMessage[] = [];
  readonly garbage: Buffer[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private readonly waiters: (() => void)[] = [];
  private nextId = 1;
  stderr = '';

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    const decoder = new FrameDecoder();
    this.child.stdout!.on('data', (chunk: Buffer) => {
      for (const item of decoder.push(chunk)) {
        if (item.kind === 'garbage') this.garbage.push(item.bytes);
        if (item.kind !== 'frame') continue;
        const v = validateAgentMessage(item.message);
        if (!v.ok) throw new Error(`invalid agent message: ${v.error}`);
        this.messages.push(v.value);
      }
      this.waiters.splice(0).forEach((w) => w());
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => {
      resolve({ code, signal });
      this.waiters.splice(0).forEach((w) => w());
    }));
  }

  async waitFor<T extends AgentMessage>(predicate: (m: AgentMessage) => m is T, timeoutMs = 20000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline || this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`timed out waiting; stderr: ${this.stderr.slice(-2000)}`);
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  handshake() {
    return this.waitFor((m): m is Extract<AgentMessage, { type: 'handshake' }> => m.type === 'handshake');
  }

  sendRaw(bytes: Buffer): void {
    this.child.stdin!.write(bytes);
  }

  post(op: Op, params: object = {}): number {
    const id = this.nextId++;
    this.child.stdin!.write(encodeFrame({ type: 'request', id, op, params }));
    return id;
  }

  async request(op: Op, params: object = {}): Promise<Exchange> {
    const id = this.post(op, params);
    const response = await this.waitFor((m): m is Response => m.type === 'response' && m.id === id);
    const logs = this.messages.filter((m): m is LogEvent => m.type === 'event' && m.event === 'log' && m.callId === id);
    return { response, logs };
  }

  async ok<T = Record<string, unknown>>(op: Op, params: object = {}): Promise<T> {
    const { response } = await this.request(op, params);
    if (!response.ok) throw new Error(`${op} failed: ${JSON.stringify(response.error)}`);
    return response.result as T;
  }

  closeStdin(): void {
    this.child.stdin!.end();
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
