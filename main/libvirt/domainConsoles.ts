/**
 * Where a domain's consoles are: its VNC display's endpoint as seen from the host (a TCP port or
 * a unix socket) and password, whether it has SPICE and a serial console. Read from the live
 * definition (`dumpxml --security-info`): only the running guest has its port chosen, and the
 * password is needed to open the display without asking.
 */
import type { Element } from '@xmldom/xmldom';
import type { TunnelTarget } from '../connection/byteChannel.js';
import type { LibvirtHost } from './libvirtHost.js';
import { checkedResult } from './libvirtErrors.js';
import { DomainDocument } from './xml/domainDocument.js';
import { GRAPHICS } from './xml/domainDevices.js';
import { childElements } from './xml/childElements.js';
import { stringProperty } from './xml/xmlProperty.js';

const GRAPHICS_SOCKET = stringProperty('./@socket');
const DOMAIN_ID = stringProperty('./@id');

export interface DomainVnc {
  /** Where to connect from the host; undefined when the display listens nowhere we can reach (`type='none'`, not started). */
  endpoint?: TunnelTarget;
  password?: string;
}

export interface DomainConsoles {
  running: boolean;
  vnc?: DomainVnc;
  spice: boolean;
  serial: boolean;
}

/**
 * The address to connect to from the host itself: a wildcard listen is reached on loopback, a
 * specific address as it is (the host connects to its own address).
 */
export function reachableAddress(listen: string | undefined): string {
  if (listen === undefined || listen === '' || listen === '0.0.0.0') return '127.0.0.1';
  if (listen === '::' || listen === '[::]') return '::1';
  return listen.replace(/^\[(.*)\]$/, '$1');
}

function vncOf(graphics: Element): DomainVnc {
  const password = GRAPHICS.passwd.get(graphics);
  const withPassword = password === undefined ? {} : { password };
  const listens = childElements(graphics, 'listen');
  const socketListen = listens.find((listen) => listen.getAttribute('type') === 'socket');
  const socket = socketListen?.getAttribute('socket') || GRAPHICS_SOCKET.get(graphics);
  if (socket) return { endpoint: { kind: 'unix', path: socket }, ...withPassword };
  if (listens.some((listen) => listen.getAttribute('type') === 'none')) return withPassword;
  const port = GRAPHICS.port.get(graphics);
  if (port === undefined || port <= 0) return withPassword;
  const addressListen = listens.find((listen) => listen.getAttribute('type') === 'address' || listen.getAttribute('type') === 'network');
  const listen = addressListen?.getAttribute('address') || GRAPHICS.listen.get(graphics);
  return { endpoint: { kind: 'tcp', host: reachableAddress(listen ?? undefined), port }, ...withPassword };
}

/** The consoles of a definition (live, read with --security-info for the password). */
export function parseDomainConsoles(xml: string): DomainConsoles {
  const document = DomainDocument.parse(xml);
  const graphics = document.devices('graphics');
  const vnc = graphics.find((element) => GRAPHICS.type.get(element) === 'vnc');
  const id = DOMAIN_ID.get(document.root);
  return {
    running: id !== undefined && id !== '-1',
    ...(vnc ? { vnc: vncOf(vnc) } : {}),
    spice: graphics.some((element) => GRAPHICS.type.get(element) === 'spice'),
    serial: document.devices('serial').length > 0 || document.devices('console').length > 0,
  };
}

export async function readDomainConsoles(host: LibvirtHost, name: string): Promise<DomainConsoles> {
  const xml = checkedResult(await host.session.run(['dumpxml', '--security-info', '--domain', name]), 'virsh dumpxml');
  return parseDomainConsoles(xml);
}
