// The Debian packages the lab needs. CI starts from a fresh machine, so lab:up installs what is
// missing — and does nothing (no apt at all) when everything is already there.
import { access, rm, writeFile } from 'node:fs/promises';
import { run, runChecked } from './command.js';

export const LAB_PACKAGES = [
  'libvirt-daemon-system',
  'libvirt-clients',
  'qemu-system-x86',
  'qemu-utils',
  'openssh-server',
  'dnsmasq-base',
  'iproute2',
  'sudo',
  // Tunnels to unix sockets fall back to socat where sshd refuses stream-local forwarding.
  'socat',
  // The mini guest (miniGuest.ts): a Debian kernel and a busybox initramfs built from these.
  'busybox-static',
  'cpio',
  'debian-installer-12-netboot-amd64',
  // What real definitions use: UEFI firmware and a software TPM (the XML round-trip fixtures).
  'ovmf',
  'swtpm',
  'swtpm-tools',
] as const;

/** invoke-rc.d consults this hook; exit 101 = "do not start services". */
const POLICY_RC_D = '/usr/sbin/policy-rc.d';

async function missingPackages(): Promise<string[]> {
  // dpkg-query, not `dpkg -s`'s exit code: removed-but-configured packages must count as missing.
  const { stdout } = await run('dpkg-query', ['-W', '-f', '${Package} ${Status}\n', ...LAB_PACKAGES]);
  const installed = new Set(
    stdout
      .split('\n')
      .filter((line) => line.endsWith(' install ok installed'))
      .map((line) => line.split(' ')[0]),
  );
  return LAB_PACKAGES.filter((p) => !installed.has(p));
}

export async function ensurePackages(log: (line: string) => void): Promise<void> {
  const missing = await missingPackages();
  if (missing.length === 0) return;
  log(`lab: installing ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // The packages' maintainer scripts would otherwise start a system-wide libvirtd (with a NAT
  // network) and sshd in the root namespace; the lab runs its own, confined ones instead.
  const ownPolicy = await access(POLICY_RC_D).then(
    () => false,
    () => true,
  );
  if (ownPolicy) await writeFile(POLICY_RC_D, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    await runChecked('apt-get', ['update'], { env, timeoutMs: 600_000 });
    await runChecked('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, timeoutMs: 1_800_000 });
  } finally {
    if (ownPolicy) await rm(POLICY_RC_D, { force: true });
  }
}
