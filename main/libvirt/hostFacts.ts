/** Host name and versions, read in one round trip when a session starts. */
import type { VirshSession } from './virshSession.js';

export interface HostFacts {
  hostname?: string;
  libvirtVersion?: string;
  hypervisorVersion?: string;
}

export function parseVersionOutput(stdout: string): Omit<HostFacts, 'hostname'> {
  const facts: Omit<HostFacts, 'hostname'> = {};
  const library = /Using library: libvirt (\S+)/.exec(stdout);
  if (library?.[1]) facts.libvirtVersion = library[1];
  const hypervisor = /Running hypervisor: (.+)/.exec(stdout);
  if (hypervisor?.[1]) facts.hypervisorVersion = hypervisor[1].trim();
  return facts;
}

export async function readHostFacts(session: VirshSession): Promise<HostFacts> {
  const [hostname, version] = await Promise.all(session.runBatch([['hostname'], ['version']]));
  const facts: HostFacts = version?.ok ? parseVersionOutput(version.stdout) : {};
  const name = hostname?.ok ? hostname.stdout.trim() : '';
  if (name) facts.hostname = name;
  return facts;
}
