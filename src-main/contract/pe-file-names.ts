// Which file names are PE images to triage: a folder's scan on the host and a folder dropped on
// the browser host's page (which uploads only these) pick the same files.

/** Extensions of PE images picked up when a folder is scanned. */
export const PE_EXTENSIONS: ReadonlySet<string> = new Set(['.dll', '.exe', '.ocx', '.sys', '.cpl', '.drv', '.ax', '.efi', '.mui', '.node', '.pyd', '.scr', '.winmd']);

export function isPeFileName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && PE_EXTENSIONS.has(name.slice(dot).toLowerCase());
}
