// The mini guest: a real Linux guest small enough to boot in seconds under TCG. Debian's
// installer kernel (package debian-installer-12-netboot-amd64) and an initramfs of busybox
// (busybox-static) whose init prints a ready line on the serial console and answers each line
// typed there. Built once into the lab's state dir on the test machine; a test puts the two
// files on a host itself (through the app's file primitive), since hosts share no files.
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runChecked } from './command.js';
import { labStateDir } from './paths.js';

export const MINI_KERNEL_SOURCE = '/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/linux';
const BUSYBOX = '/bin/busybox';
/** Printed on the serial console once init runs. */
export const MINI_READY = 'VDMINI READY';
/** The prompt init prints before reading each line. */
export const MINI_PROMPT = 'vdmini# ';

/**
 * /init of the initramfs. Every line typed on the console is answered with `echo: LINE`, so a
 * test can see its keys arrive. `crash` panics the kernel (for crashed-state tests with
 * <on_crash>preserve</on_crash>).
 */
const INIT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
echo "${MINI_READY}"
while true; do
  printf '${MINI_PROMPT}'
  read -r line || { sleep 1; continue; }
  case "$line" in
    crash) echo c > /proc/sysrq-trigger ;;
    *) echo "echo: $line" ;;
  esac
done
`;

export interface MiniGuestFiles {
  kernel: string;
  initrd: string;
}

function miniDir(): string {
  return path.join(labStateDir(), 'mini-guest');
}

/** Builds (once) and returns the kernel and initramfs on the test machine. */
export async function miniGuestFiles(): Promise<MiniGuestFiles> {
  const dir = miniDir();
  const kernel = path.join(dir, 'vmlinuz');
  const initrd = path.join(dir, 'initrd.gz');
  const stamp = path.join(dir, 'stamp');
  const want = createHash('sha256').update(INIT).update(String((await stat(BUSYBOX)).size)).digest('hex');
  if ((await readFile(stamp, 'utf8').catch(() => '')) === want) return { kernel, initrd };

  await mkdir(dir, { recursive: true });
  await copyFile(MINI_KERNEL_SOURCE, kernel);
  const root = await mkdtemp(path.join(tmpdir(), 'vd-mini-'));
  try {
    for (const sub of ['bin', 'proc', 'sys', 'dev']) await mkdir(path.join(root, sub));
    await copyFile(BUSYBOX, path.join(root, 'bin', 'busybox'));
    await chmod(path.join(root, 'bin', 'busybox'), 0o755);
    await writeFile(path.join(root, 'init'), INIT, { mode: 0o755 });
    await runChecked('sh', ['-c', 'cd "$1" && find . | cpio -o -H newc --quiet | gzip -1 > "$2"', 'sh', root, initrd]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  await chmod(kernel, 0o644);
  await chmod(initrd, 0o644);
  await writeFile(stamp, want);
  return { kernel, initrd };
}

export interface MiniDomainOptions {
  name: string;
  kvm: boolean;
  /** Where the kernel and initramfs are on the host. */
  kernel: string;
  initrd: string;
  /** What the guest does when it crashes (default destroy). */
  onCrash?: 'destroy' | 'preserve';
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
}

/** A domain that boots the mini guest with its console on the first serial port. */
export function miniDomainXml(options: MiniDomainOptions): string {
  return `<domain type='${options.kvm ? 'kvm' : 'qemu'}'>
  <name>${escapeXml(options.name)}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
    <kernel>${escapeXml(options.kernel)}</kernel>
    <initrd>${escapeXml(options.initrd)}</initrd>
    <cmdline>console=ttyS0 quiet panic=-1</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>${options.onCrash ?? 'destroy'}</on_crash>
  <devices>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
    <video><model type='vga'/></video>
    <memballoon model='none'/>
  </devices>
</domain>
`;
}
