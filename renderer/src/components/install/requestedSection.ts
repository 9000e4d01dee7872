/** A section a VM's tab should open on once (the wizard's "Open the console"). */
const requested = new Map<string, string>();

export function requestVmSection(hostId: string, name: string, section: string): void {
  requested.set(`${hostId}\u0000${name}`, section);
}

/** The requested section of a VM's tab, forgotten once read. */
export function takeVmSection(hostId: string, name: string): string | undefined {
  const key = `${hostId}\u0000${name}`;
  const section = requested.get(key);
  requested.delete(key);
  return section;
}

/** The host a tree node key belongs to (host, group or object rows), for opening the wizard there. */
export function hostOfNodeKey(key: string | null): string | null {
  if (!key || key.startsWith('folder/')) return null;
  const match = /^[a-z-]+\/([^/]+)/.exec(key);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}
