/**
 * After a conversion: the VM's disks that used the old file use the new one, with the new
 * format, in its persistent definition (a running VM sees it from its next start).
 */
import { ContractError } from '../../preload/contract.js';
import { defineDomain, readDomainXml } from './domains.js';
import { domainDisks } from './domainDisks.js';
import type { LibvirtHost } from './libvirtHost.js';
import { DISK } from './xml/domainDevices.js';
import { DomainDocument } from './xml/domainDocument.js';

export async function retargetDisk(host: LibvirtHost, vm: string, fromPath: string, toPath: string, format: string): Promise<void> {
  const document = DomainDocument.parse(await readDomainXml(host, vm, { inactive: true, securityInfo: true }));
  const disks = domainDisks(document).filter((disk) => disk.path === fromPath && disk.type === 'file');
  if (disks.length === 0) throw new ContractError('not-found', `${vm} has no disk using ${fromPath}.`);
  for (const disk of disks) {
    document.set(DISK.sourceFile, toPath, disk.element);
    document.set(DISK.format, format, disk.element);
  }
  await defineDomain(host, document.toXml());
}
