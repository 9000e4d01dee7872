// The mini guest with a network card: the same installer kernel as test/lab/miniGuest.ts, and a
// busybox initramfs that also loads the e1000 driver (taken from the installer's own initrd:
// the kernel builds it as a module) and asks for an address by DHCP (busybox udhcpc), then pings
// the gateway so the host learns its MAC (the ARP source). Built once into the lab's state dir.
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runChecked } from '../lab/command.js';
import { MINI_KERNEL_SOURCE, MINI_PROMPT, MINI_READY, type MiniGuestFiles } from '../lab/miniGuest.js';
import { labStateDir } from '../lab/paths.js';

const INSTALLER_INITRD = path.join(path.dirname(MINI_KERNEL_SOURCE), 'initrd.gz');
export const NET_MINI_ADDRESS = 'VDMINI ADDRESS';

const UDHCPC_SCRIPT = `#!/bin/busybox sh
case "$1" in
  bound|renew)
    ip addr add "$ip/$mask" dev "$interface"
    echo "${NET_MINI_ADDRESS} $ip"
    for r in $router; do ping -c 3 -W 2 "$r" >/dev/null 2>&1; done
    ;;
esac
`;

const INIT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
insmod /e1000.ko
ip link set lo up
echo "${MINI_READY}"
for dev in /sys/class/net/*; do
  name=\${dev##*/}
  [ "$name" = lo ] && continue
  ip link set "$name" up
  udhcpc -i "$name" -q -n -t 30 -T 2 -s /udhcpc.sh >/dev/null 2>&1 &
done
while true; do
  printf '${MINI_PROMPT}'
  read -r line || { sleep 1; continue; }
  echo "echo: $line"
done
`;

export async function netMiniGuestFiles(): Promise<MiniGuestFiles> {
  const dir = path.join(labStateDir(), 'net-mini-guest');
  const kernel = path.join(dir, 'vmlinuz');
  const initrd = path.join(dir, 'initrd.gz');
  const stamp = path.join(dir, 'stamp');
  const want = createHash('sha256').update(INIT).update(UDHCPC_SCRIPT).update(String((await stat('/bin/busybox')).size)).update(String((await stat(INSTALLER_INITRD)).size)).digest('hex');
  if ((await readFile(stamp, 'utf8').catch(() => '')) === want) return { kernel, initrd };
  await mkdir(dir, { recursive: true });
  await copyFile(MINI_KERNEL_SOURCE, kernel);
  const work = await mkdtemp(path.join(tmpdir(), 'vd-netmini-'));
  try {
    const modules = path.join(work, 'modules');
    const root = path.join(work, 'root');
    await mkdir(modules);
    for (const sub of ['bin', 'proc', 'sys', 'dev']) await mkdir(path.join(root, sub), { recursive: true });
    await runChecked('sh', ['-c', 'cd "$1" && zcat "$2" | cpio -id --quiet "*/e1000/e1000.ko"', 'sh', modules, INSTALLER_INITRD]);
    const found = (await runChecked('sh', ['-c', 'find "$1" -name e1000.ko | head -n 1', 'sh', modules])).stdout.trim();
    if (!found) throw new Error(`no e1000.ko in ${INSTALLER_INITRD}`);
    await copyFile(found, path.join(root, 'e1000.ko'));
    await copyFile('/bin/busybox', path.join(root, 'bin', 'busybox'));
    await chmod(path.join(root, 'bin', 'busybox'), 0o755);
    await writeFile(path.join(root, 'init'), INIT, { mode: 0o755 });
    await writeFile(path.join(root, 'udhcpc.sh'), UDHCPC_SCRIPT, { mode: 0o755 });
    await runChecked('sh', ['-c', 'cd "$1" && find . | cpio -o -H newc --quiet | gzip -1 > "$2"', 'sh', root, initrd]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  await chmod(kernel, 0o644);
  await chmod(initrd, 0o644);
  await writeFile(stamp, want);
  return { kernel, initrd };
}
