/**
 * ifupdown and ifupdown2 (`/etc/network/interfaces`): the NIC's `inet` stanza becomes `manual`,
 * its options move to a new bridge stanza with `bridge_ports`, `bridge_stp off`, `bridge_fd 0`
 * and `hwaddress ether MAC`. Everything else in the file stays as written. Classic ifupdown
 * applies with `ifdown NIC; ifup BRIDGE` in one detached job (never a restart of the networking
 * service over SSH); ifupdown2 with `ifreload -a`.
 */
import type { BridgePlan } from '../../../preload/contract.js';
import { gateway4, sh, type StackChange, type WriterInput } from './stackChange.js';

export const INTERFACES_FILE = '/etc/network/interfaces';

const STANZA = /^(iface|auto|allow-[\w-]+|mapping|source|source-directory|rename|no-auto-down|no-scripts)\b/;

interface Block {
  /** The stanza's first line split into words; empty for text before the first stanza. */
  head: string[];
  lines: string[];
}

function blocks(text: string): Block[] {
  const out: Block[] = [{ head: [], lines: [] }];
  for (const line of text.split('\n')) {
    if (STANZA.test(line)) out.push({ head: line.trim().split(/\s+/), lines: [line] });
    else out[out.length - 1]!.lines.push(line);
  }
  return out;
}

function isIface(block: Block, name: string, family?: string): boolean {
  return block.head[0] === 'iface' && block.head[1] === name && (family === undefined || block.head[2] === family);
}

export function ifupdownHasStanza(text: string, iface: string): boolean {
  return blocks(text).some((b) => isIface(b, iface));
}

/** Options of an iface stanza (key → rest of line), in order. */
function options(block: Block): Array<[string, string]> {
  return block.lines
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const m = /^(\S+)\s*(.*)$/.exec(l)!;
      return [m[1]!, m[2]!] as [string, string];
    });
}

/** Options the plan decides; every other option of the NIC's stanza moves to the bridge as written. */
const REPLACED = new Set(['address', 'netmask', 'gateway', 'broadcast', 'network', 'dns-nameservers', 'hwaddress', 'bridge_ports', 'bridge-ports', 'bridge_stp', 'bridge_fd']);

/** Blank lines that end a block belong between blocks, not to the options. */
function trailingBlank(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = lines.length - 1; i > 0 && lines[i]!.trim() === ''; i--) out.push('');
  return out;
}

export function bridgeStanzas(plan: BridgePlan, carried: ReadonlyArray<[string, string]>): string[] {
  const lines: string[] = [`auto ${plan.bridge}`];
  const method = plan.ipv4.mode === 'static' ? 'static' : plan.ipv4.mode === 'dhcp' ? 'dhcp' : 'manual';
  lines.push(`iface ${plan.bridge} inet ${method}`);
  if (plan.ipv4.mode === 'static') {
    for (const a of plan.ipv4.addresses) lines.push(`\taddress ${a}`);
    if (gateway4(plan)) lines.push(`\tgateway ${gateway4(plan)}`);
  }
  if (plan.dns.length > 0) lines.push(`\tdns-nameservers ${plan.dns.join(' ')}`);
  lines.push(`\tbridge_ports ${plan.iface}`, `\tbridge_stp ${plan.stp ? 'on' : 'off'}`, `\tbridge_fd ${plan.forwardDelay}`, `\thwaddress ether ${plan.mac.toLowerCase()}`);
  for (const [key, value] of carried) lines.push(`\t${key}${value ? ` ${value}` : ''}`);
  if (plan.ipv6.mode !== 'none') {
    lines.push('', `iface ${plan.bridge} inet6 ${plan.ipv6.mode === 'static' ? 'static' : plan.ipv6.mode}`);
    if (plan.ipv6.mode === 'static') for (const a of plan.ipv6.addresses) lines.push(`\taddress ${a}`);
    if (plan.ipv6.gateway) lines.push(`\tgateway ${plan.ipv6.gateway}`);
  }
  return lines;
}

export function ifupdownText(before: string, plan: BridgePlan): string {
  const out: string[] = [];
  let placed = false;
  const all = blocks(before);
  for (const block of all) {
    if (isIface(block, plan.iface, 'inet6')) {
      // Its IPv6 settings move to the bridge with the rest; keep the spacing around it.
      if (out[out.length - 1] !== '') out.push(...trailingBlank(block.lines));
      continue;
    }
    if (!isIface(block, plan.iface, 'inet')) {
      out.push(...block.lines);
      continue;
    }
    const carried = options(block).filter(([k]) => !REPLACED.has(k));
    out.push(`iface ${plan.iface} inet manual`, '', ...bridgeStanzas(plan, carried), ...(trailingBlank(block.lines).length > 0 ? trailingBlank(block.lines) : ['']));
    placed = true;
  }
  if (!placed) {
    if (out.length > 0 && out[out.length - 1] !== '') out.push('');
    out.push(`iface ${plan.iface} inet manual`, '', ...bridgeStanzas(plan, []), '');
  }
  return out.join('\n').replace(/\n{3,}$/, '\n');
}

export function ifupdownChange(input: WriterInput, variant: 'ifupdown' | 'ifupdown2'): StackChange {
  const { plan } = input;
  const before = input.files.get(INTERFACES_FILE) ?? '';
  const files = [{ path: INTERFACES_FILE, before, after: ifupdownText(before, plan) }];
  if (variant === 'ifupdown2') {
    return {
      files,
      apply: ['install_new', sh('ifreload', '-a')],
      restore: ['restore_old', sh('ifreload', '-a'), `${sh('ip', 'link', 'del', plan.bridge)} 2>/dev/null || true`, sh('ifreload', '-a')],
    };
  }
  return {
    files,
    // ifdown reads the stanza it brought up, so it runs before the new file is in place.
    apply: [
      `${sh('ifdown', plan.iface)} || true`,
      sh('ip', '-4', 'addr', 'flush', 'dev', plan.iface, 'scope', 'global'),
      sh('ip', '-6', 'addr', 'flush', 'dev', plan.iface, 'scope', 'global'),
      'install_new',
      sh('ifup', plan.bridge),
    ],
    restore: [
      `${sh('ifdown', '--force', plan.bridge)} 2>/dev/null || true`,
      `${sh('ip', 'link', 'del', plan.bridge)} 2>/dev/null || true`,
      'restore_old',
      `${sh('ifdown', '--force', plan.iface)} 2>/dev/null || true`,
      sh('ifup', plan.iface),
    ],
  };
}
