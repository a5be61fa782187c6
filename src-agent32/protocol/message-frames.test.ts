import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder, FrameWriter, HEADER_BYTES } from './framing.ts';
import { appendAgentMessage, appendRequest } from './message-frames.ts';
import type { AgentMessage, CallResult, JsonValue } from './messages.ts';

/** The first payload byte of each frame the writer holds, and the messages they decode to. */
function written(writer: FrameWriter): { firstBytes: string[]; messages: unknown[] } {
  const bytes = writer.view();
  const firstBytes: string[] = [];
  for (let at = bytes.indexOf('THNK'); at >= 0; at = bytes.indexOf('THNK', at + 1)) firstBytes.push(`0x${bytes[at + HEADER_BYTES]!.toString(16)}`);
  const messages = new FrameDecoder().push(bytes).map((item) => (item.kind === 'frame' ? item.message : item));
  return { firstBytes, messages };
}

const RESULT: CallResult = { symbol: 'add', value: 5, outs: [], lastError: null, errno: 0, durationMs: 0.001, timing: null };

test('call requests go compact, other requests and oddly shaped call options as JSON', () => {
  const writer = new FrameWriter();
  const call = { handle: 'h', prototype: 'int add(int a, int b)', args: [2, 3] };
  appendRequest(writer, 1, 'call', call);
  appendRequest(writer, 2, 'load', { path: 'C:\\a.dll' });
  appendRequest(writer, 3, 'call', { ...call, options: { repeat: 0.5 } });
  const { firstBytes, messages } = written(writer);
  assert.deepEqual(firstBytes, ['0x1', '0x7b', '0x7b']);
  assert.deepEqual(messages, [
    { type: 'request', id: 1, op: 'call', params: call },
    { type: 'request', id: 2, op: 'load', params: { path: 'C:\\a.dll' } },
    { type: 'request', id: 3, op: 'call', params: { ...call, options: { repeat: 0.5 } } },
  ]);
});

test('a call whose arguments only JSON carries as intended goes as JSON, with JSON\'s treatment', () => {
  const writer = new FrameWriter();
  const params = { handle: 'h', prototype: 'void f(const char *s, int *p)', args: [new Date(0), [undefined]] as unknown as JsonValue[] };
  appendRequest(writer, 1, 'call', params);
  const { firstBytes, messages } = written(writer);
  assert.deepEqual(firstBytes, ['0x7b']);
  assert.deepEqual(messages, [{ type: 'request', id: 1, op: 'call', params: { ...params, args: ['1970-01-01T00:00:00.000Z', [null]] } }]);
  // Anything else a writer throws is not swallowed.
  assert.throws(() => appendRequest(new FrameWriter(16), 2, 'call', { handle: 'h', prototype: 'p', args: ['x'.repeat(64)] }), /exceeds the limit/);
});

test('only a successful answer to a call goes compact', () => {
  const writer = new FrameWriter();
  const ok: AgentMessage = { type: 'response', id: 1, ok: true, result: RESULT };
  const failed: AgentMessage = { type: 'response', id: 2, ok: false, error: { code: 'bad-args', name: 'ArgumentError', message: 'add takes 2 argument(s), got 1' } };
  const pong: AgentMessage = { type: 'response', id: 3, ok: true, result: { pong: true, time: 1 } };
  const log: AgentMessage = { type: 'event', event: 'log', callId: 1, stream: 'stdout', text: 'hi' };
  appendAgentMessage(writer, ok, 'call');
  appendAgentMessage(writer, failed, 'call');
  appendAgentMessage(writer, pong, 'ping');
  appendAgentMessage(writer, log);
  const { firstBytes, messages } = written(writer);
  assert.deepEqual(firstBytes, ['0x2', '0x7b', '0x7b', '0x7b']);
  assert.deepEqual(messages, [ok, failed, pong, log]);
});
