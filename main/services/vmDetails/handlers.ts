/** `vm.details`, `vm.addresses`: what a VM's overview shows beyond the inventory. */
import type { vmDetailsCalls } from '../../../preload/contract.js';
import type { HandlersOf } from '../../core/registry.js';
import { readDomainAddresses, readDomainDetails } from '../../libvirt/domainDetails.js';
import { withLibvirtErrors } from '../../libvirt/libvirtErrors.js';
import type { HostService } from '../hosts/hostService.js';

export function vmDetailsHandlers(hosts: Pick<HostService, 'get'>): HandlersOf<typeof vmDetailsCalls> {
  return {
    'vm.details': ({ hostId, name }) => withLibvirtErrors(() => readDomainDetails(hosts.get(hostId).libvirt(), hostId, name)),
    'vm.addresses': ({ hostId, name }) => withLibvirtErrors(() => readDomainAddresses(hosts.get(hostId).libvirt(), name)),
  };
}
