/** New network definitions from a typed draft, through the network document's typed changes. */
import { NetworkDocument, type DhcpRange, type ForwardMode } from '../xml/networkDocument.js';

export interface NetworkAddressDraft {
  address: string;
  prefix: number;
  dhcpRange?: DhcpRange;
}

export interface NetworkDraft {
  name: string;
  /** Absent: an isolated network. */
  forwardMode?: ForwardMode;
  /** The host bridge; libvirt names one (virbrN) when absent. */
  bridge?: string;
  ipv4?: NetworkAddressDraft;
  ipv6?: NetworkAddressDraft;
}

export function createNetworkDocument(draft: NetworkDraft): NetworkDocument {
  const document = NetworkDocument.create();
  document.setName(draft.name);
  if (draft.forwardMode !== undefined) document.setForwardMode(draft.forwardMode);
  if (draft.bridge !== undefined) document.setBridge(draft.bridge);
  for (const family of ['ipv4', 'ipv6'] as const) {
    const address = draft[family];
    if (address === undefined) continue;
    document.setIp(family, address.address, address.prefix);
    if (address.dhcpRange) document.addDhcpRange(family, address.dhcpRange);
  }
  return document;
}
