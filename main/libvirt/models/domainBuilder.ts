/** Builds domain XML from a typed draft; the only place domain XML is written. */
import { XMLBuilder } from 'fast-xml-parser';

export interface DomainDraft {
  name: string;
  /** libvirt domain type: kvm, qemu, or test for the built-in test driver. */
  type: string;
  memoryKiB: number;
  vcpus: number;
  arch: string;
  osType?: string;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  format: true,
  suppressEmptyNode: true,
  processEntities: true,
});

export function buildDomainXml(draft: DomainDraft): string {
  return builder.build({
    domain: {
      '@type': draft.type,
      name: draft.name,
      memory: { '@unit': 'KiB', '#text': String(draft.memoryKiB) },
      currentMemory: { '@unit': 'KiB', '#text': String(draft.memoryKiB) },
      vcpu: String(draft.vcpus),
      os: { type: { '@arch': draft.arch, '#text': draft.osType ?? 'hvm' } },
    },
  }) as string;
}
