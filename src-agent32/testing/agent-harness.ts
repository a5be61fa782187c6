// Test helper: spawns an agent, sends requests, collects frames per request.
import { spawn, type ChildProcess } from 'node:child_process';
import { FrameDecoder, FrameWriter, encodeFrame } from '../protocol/framing.ts';
import { appendRequest } from '../protocol/message-frames.ts';
import type { AgentMessage, LogEvent, Op, Request, Response } from '../protocol/messages.ts';
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
  private closed = false;
  stderr = '';
  /** How long handshake() waits: the runtime's start deadline (a 32-bit agent under qemu is slow to start). */
  startTimeoutMs = 20000;

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
    // Writing to an agent that has just died must not crash the test process.
    this.child.stdin!.on('error', () => {});
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    // After 'exit', frames written just before death (a crash event) may still be in the pipe: wait
    // for 'close', but not long, because Wine's helper processes (services.exe & co., started by
    // the first process of a wineserver session) inherit the pipes and hold them open for seconds.
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => {
      const done = () => {
        this.closed = true;
        resolve({ code, signal });
        this.waiters.splice(0).forEach((w) => w());
      };
      const grace = setTimeout(done, 300);
      this.child.once('close', () => {
        clearTimeout(grace);
        done();
      });
    }));
  }

  async waitFor<T extends AgentMessage>(predicate: (m: AgentMessage) => m is T, timeoutMs = 20000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline || this.closed) {
        throw new Error(`timed out waiting; stderr: ${this.stderr.slice(-2000)}`);
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  handshake() {
    return this.waitFor((m): m is Extract<AgentMessage, { type: 'handshake' }> => m.type === 'handshake', this.startTimeoutMs);
  }

  sendRaw(bytes: Buffer): void {
    this.child.stdin!.write(bytes);
  }

  /** Sends a request framed as the supervisor frames it (a call goes compact); `json: true` forces JSON. */
  post(op: Op, params: object = {}, json = false): number {
    const id = this.nextId++;
    if (json) {
      this.child.stdin!.write(encodeFrame({ type: 'request', id, op, params }));
    } else {
      const writer = new FrameWriter();
      appendRequest(writer, id, op, params as Request['params']);
      this.child.stdin!.write(Buffer.from(writer.view()));
    }
    return id;
  }

  async request(op: Op, params: object = {}, json = false): Promise<Exchange> {
    const id = this.post(op, params, json);
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
