import type { MachineName } from '../pe/pe-image.ts';
import type { HostArch } from './load-context.ts';

/** The machine a process of this bitness runs natively (on x86-64 Windows). */
export function hostMachine(host: HostArch): MachineName {
  return host === 'x86' ? 'x86' : 'x64';
}

/** Whether LoadLibrary in such a process maps an image of this machine (x64 Windows host). */
export function machineLoadsIn(machine: MachineName, host: HostArch): boolean {
  return machine === hostMachine(host);
}
