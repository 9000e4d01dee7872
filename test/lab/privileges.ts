// The lab creates network namespaces, bind mounts and system daemons: root only. Callers get one
// clear sentence instead of a pile of EPERMs from half-done work.
export class LabPermissionError extends Error {
  constructor(action: string) {
    super(`lab: must run as root (it ${action})`);
    this.name = 'LabPermissionError';
  }
}

export function assertRoot(action = 'creates network namespaces and starts libvirtd'): void {
  if (process.getuid?.() !== 0) throw new LabPermissionError(action);
}
