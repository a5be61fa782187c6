// Node's own process.stdout/stderr streams throw EBADF in node.exe under Wine when the handles are
// Unix pipes, and Node creates them behind our back (util's ESM facade, warnings, console). On
// Windows they are replaced, before anything else runs, by writers on the raw descriptors.
import fs from 'node:fs';
import { Writable } from 'node:stream';

function descriptorWriter(fd: 1 | 2): Writable {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      try {
        fs.writeSync(fd, chunk);
      } catch {
        // Nobody is listening any more; dropping the text is all that is left.
      }
      done();
    },
  });
  return Object.assign(stream, { fd, isTTY: false });
}

export function installDescriptorStdio(): void {
  for (const [name, fd] of [['stdout', 1], ['stderr', 2]] as const) {
    const writer = descriptorWriter(fd);
    Object.defineProperty(process, name, { configurable: true, enumerable: true, get: () => writer });
  }
}

if (process.platform === 'win32') installDescriptorStdio();
