// The headers worker thread: parsing a file with every section's entropy reads all of it (seconds
// for node.exe's 87 MB on a busy machine), so it runs here, off the thread that serves the UI.
import { parentPort } from 'node:worker_threads';
import { parsePeFile } from '../../analysis/pe/parse-pe.ts';
import { headersView } from '../../analysis/pe/headers-view.ts';
import type { HeadersReply, HeadersRequest } from './headers-reader.ts';

parentPort!.on('message', ({ id, path }: HeadersRequest) => {
  let reply: HeadersReply;
  try {
    reply = { id, view: headersView(parsePeFile(path)) };
  } catch (error) {
    reply = { id, error: (error as Error).message };
  }
  parentPort!.postMessage(reply);
});
