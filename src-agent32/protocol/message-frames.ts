// Which payload each message travels in: a call request and a call's successful result go compact
// (compact-codec.ts), everything else as JSON. Both ends decode either.
import { NotCompactError, fitsCallRequest, writeCallRequest, writeCallResult } from './compact-codec.ts';
import type { FrameWriter } from './framing.ts';
import type { AgentMessage, CallParams, CallResult, Op, Request } from './messages.ts';

export function appendRequest(writer: FrameWriter, id: number, op: Op, params: Request['params']): void {
  if (op === 'call' && fitsCallRequest(params as CallParams)) {
    try {
      return writer.appendPayload(writeCallRequest, id, params as CallParams);
    } catch (error) {
      if (!(error instanceof NotCompactError)) throw error;
    }
  }
  writer.append({ type: 'request', id, op, params });
}

/** `answering`: the op of the request a response answers, which decides its layout. */
export function appendAgentMessage(writer: FrameWriter, message: AgentMessage, answering?: Op): void {
  if (answering === 'call' && message.type === 'response' && message.ok) {
    try {
      return writer.appendPayload(writeCallResult, message.id, message.result as CallResult);
    } catch (error) {
      if (!(error instanceof NotCompactError)) throw error;
    }
  }
  writer.append(message);
}
