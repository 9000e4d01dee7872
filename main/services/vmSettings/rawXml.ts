/**
 * Defining a VM from the raw XML editor. The text is checked before libvirt sees it: it must be
 * well-formed, and keep the VM's name and UUID (another name or UUID would define a second VM
 * beside this one, not change it). The definition on the host must still be the one the edit
 * started from, unless the user said to overwrite it. libvirt then checks it against its schema
 * (`define --validate`); a definition it refuses changes nothing. The editor reads and compares
 * the definition with its secrets (as `virsh edit` does), so saving keeps a VNC password.
 */
import type { VmXmlDefineResult } from '../../../preload/contract.js';
import { readDomainXml } from '../../libvirt/domains.js';
import { defineDomainValidated, definitionRevision } from '../../libvirt/domainSettings.js';
import type { LibvirtHost } from '../../libvirt/libvirtHost.js';
import { DOMAIN, DomainDocument } from '../../libvirt/xml/domainDocument.js';

export async function defineRawXml(host: LibvirtHost, name: string, xml: string, options: { revision: string; overwrite: boolean }): Promise<VmXmlDefineResult> {
  let edited: DomainDocument;
  try {
    edited = DomainDocument.parse(xml);
  } catch (error) {
    return { outcome: 'malformed', message: error instanceof Error ? error.message : String(error) };
  }
  const currentXml = await readDomainXml(host, name, { inactive: true, securityInfo: true });
  const current = DomainDocument.parse(currentXml);
  const currentRevision = definitionRevision(currentXml);
  if (!options.overwrite && currentRevision !== options.revision) return { outcome: 'changed-on-host', xml: currentXml, revision: currentRevision };

  for (const field of ['name', 'uuid'] as const) {
    const was = current.get(DOMAIN[field]) ?? '';
    const now = edited.get(DOMAIN[field]) ?? '';
    // libvirt writes UUIDs in lower case and reads them in any case.
    const same = field === 'uuid' ? was.toLowerCase() === now.trim().toLowerCase() : was === now;
    if (!same) return { outcome: 'identity-changed', field, was, now };
  }

  await defineDomainValidated(host, xml);
  const definedXml = await readDomainXml(host, name, { inactive: true, securityInfo: true });
  return { outcome: 'defined', xml: definedXml, revision: definitionRevision(definedXml) };
}
