// The lab's shape: which hosts exist, their names, addresses and what each one is for.
// Pure data, so up, down and the tests agree on names and addresses without sharing state.
import type { LabAuth, LabHostRole } from './hosts.js';

/** Root-namespace bridge every directly reachable host hangs off. */
export const LAB_BRIDGE = 'vdlab0';
/** 198.18.0.0/15 is RFC 2544's benchmarking range: never routed on real networks. */
export const LAB_SUBNET = '198.18.0.0/24';
/** The whole benchmarking range; the root namespace routes what the bridge does not serve nowhere. */
export const LAB_RANGE = '198.18.0.0/15';
export const BRIDGE_ADDRESS = '198.18.0.1';
/** The jump→behind link: a second subnet that the root namespace has no route to. */
export const BEHIND_SUBNET = '198.18.1.0/24';
export const JUMP_INNER_ADDRESS = '198.18.1.1';
export const PREFIX_LENGTH = 24;

export const NETNS_PREFIX = 'vdlab-';
export const LAB_USER = 'vdlab';
/**
 * A second account outside the libvirt group, allowed exactly `sudo -n /usr/bin/virsh`: how many
 * sites give operators libvirt access. Same key as LAB_USER, key hosts only.
 */
export const LAB_SUDO_USER = 'vdlabsudo';
export const SSH_PORT = 22;
export const LIBVIRT_URI = 'qemu:///system';
/**
 * Where a test-driver host keeps its node file — inside the host (its private /var/lib/libvirt),
 * written there by the lab as root; the host's own virsh loads it over SSH.
 */
export const TEST_NODE_PATH = '/var/lib/libvirt/vdlab-node.xml';
export const TEST_DRIVER_URI = `test://${TEST_NODE_PATH}`;
/** VMs in a test-driver host's node file until a benchmark or test asks for another count. */
export const DEFAULT_TEST_DRIVER_VMS = 300;

const FIRST_PLAIN_HOST = 10;
/** Plain hosts use .10–.199; variants have fixed addresses so they do not move when N changes. */
export const MAX_PLAIN_HOSTS = 190;
const VARIANT_ADDRESSES = { pw: '198.18.0.250', kbd: '198.18.0.251', jump: '198.18.0.252', stopped: '198.18.0.253' };
const BEHIND_ADDRESS = '198.18.1.10';

/** How a host's namespace is wired. */
export type HostLink =
  /** veth: `rootIf` in the root namespace (enslaved to the bridge) ↔ eth0 in the host. */
  | { kind: 'bridge'; rootIf: string }
  /** veth: eth1 in the jump host's namespace (JUMP_INNER_ADDRESS) ↔ eth0 in this host. */
  | { kind: 'jump'; via: string };

export interface HostPlan {
  name: string;
  role: LabHostRole;
  namespace: string;
  address: string;
  auth: LabAuth;
  /** `stopped` keeps libvirt down on purpose. */
  runsLibvirt: boolean;
  jumpHost: string | null;
  link: HostLink;
  /**
   * Host keys beyond the ed25519 one every host has. A client with default preferences
   * (ed25519 first) is shown the ed25519 key; only one that asks for ecdsa first sees this one.
   */
  extraHostKeyTypes: readonly ExtraHostKeyType[];
}

export type ExtraHostKeyType = 'ecdsa';

export interface LabShape {
  /** Number of plain key-auth hosts lab1..labN. */
  hosts: number;
  /** Also create pw, kbd, jump, behind and stopped. */
  variants: boolean;
  /**
   * Test-driver hosts td1..tdN: sshd only, no libvirtd; virsh there serves libvirt's test driver
   * from a generated node file (TEST_DRIVER_URI). Cheap enough that fifty fit on two cores.
   */
  testHosts?: number;
}

/** The shape with its defaults filled in, so shapes written by older labs compare equal. */
export function normalizeShape(shape: LabShape): Required<LabShape> {
  return { hosts: shape.hosts, variants: shape.variants, testHosts: shape.testHosts ?? 0 };
}

function bridged(name: string, role: LabHostRole, address: string, auth: LabAuth, runsLibvirt = true): HostPlan {
  // Interface names are limited to 15 bytes; host names are at most 8 ("lab190", "stopped").
  return {
    name,
    role,
    namespace: `${NETNS_PREFIX}${name}`,
    address,
    auth,
    runsLibvirt,
    jumpHost: null,
    link: { kind: 'bridge', rootIf: `vdl-${name}` },
    extraHostKeyTypes: [],
  };
}

export function testHostName(index: number): string {
  return `td${index}`;
}

export function planHosts(shape: LabShape): HostPlan[] {
  if (!Number.isInteger(shape.hosts) || shape.hosts < 0 || shape.hosts > MAX_PLAIN_HOSTS) {
    throw new Error(`--hosts must be an integer from 0 to ${MAX_PLAIN_HOSTS}, got ${shape.hosts}`);
  }
  const testHosts = shape.testHosts ?? 0;
  if (!Number.isInteger(testHosts) || testHosts < 0 || shape.hosts + testHosts > MAX_PLAIN_HOSTS) {
    throw new Error(`--hosts plus --test-hosts must be at most ${MAX_PLAIN_HOSTS}, got ${shape.hosts} + ${testHosts}`);
  }
  const plans: HostPlan[] = [];
  for (let i = 0; i < shape.hosts; i++) {
    plans.push(bridged(`lab${i + 1}`, 'plain', `198.18.0.${FIRST_PLAIN_HOST + i}`, 'key'));
  }
  // A server with two host keys: a known_hosts holding only the ecdsa one must still connect.
  if (plans[0]) plans[0] = { ...plans[0], extraHostKeyTypes: ['ecdsa'] };
  // After the plain hosts in the same range, so the variants' fixed addresses never move.
  for (let i = 0; i < testHosts; i++) {
    plans.push(bridged(testHostName(i + 1), 'test-driver', `198.18.0.${FIRST_PLAIN_HOST + shape.hosts + i}`, 'key', false));
  }
  if (shape.variants) {
    plans.push(bridged('pw', 'pw', VARIANT_ADDRESSES.pw, 'password'));
    plans.push(bridged('kbd', 'kbd', VARIANT_ADDRESSES.kbd, 'keyboard-interactive'));
    // The bastion runs libvirt too: harmless, and it lets every host but `stopped` be tested alike.
    plans.push(bridged('jump', 'jump', VARIANT_ADDRESSES.jump, 'key'));
    plans.push({
      name: 'behind',
      role: 'behind',
      namespace: `${NETNS_PREFIX}behind`,
      address: BEHIND_ADDRESS,
      auth: 'key',
      runsLibvirt: true,
      jumpHost: 'jump',
      link: { kind: 'jump', via: 'jump' },
      extraHostKeyTypes: [],
    });
    plans.push(bridged('stopped', 'stopped', VARIANT_ADDRESSES.stopped, 'key', false));
  }
  if (plans.length === 0) throw new Error('an empty lab: use --hosts 1 or more, or keep the variants');
  return plans;
}

/** lab1-vm0001 …: the VMs lab:populate defines (and a test-driver host's node file holds). */
export function labVmName(hostName: string, index: number): string {
  return `${hostName}-vm${String(index).padStart(4, '0')}`;
}
