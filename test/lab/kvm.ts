// Whether guests can use KVM. /dev/kvm is often root:root 0600 on these machines, which makes QEMU
// (running as libvirt-qemu) fail with "Permission denied"; the lab fixes the mode and then asks a
// real QEMU, as libvirt-qemu, whether KVM works. Otherwise guests fall back to TCG (type 'qemu').
import { access, chmod, chown, constants } from 'node:fs/promises';
import { run } from './command.js';

const KVM_DEVICE = '/dev/kvm';
const QEMU = 'qemu-system-x86_64';
/** Account libvirt's QEMU driver runs guests as on Debian. */
const QEMU_USER = 'libvirt-qemu';

export interface KvmStatus {
  readonly kvm: boolean;
  readonly reason: string;
}

async function groupId(group: string): Promise<number | undefined> {
  const { code, stdout } = await run('getent', ['group', group]);
  return code === 0 ? Number(stdout.split(':')[2]) : undefined;
}

/** Runs QEMU with no machine and -accel kvm; QMP query-kvm then says whether KVM is enabled. */
async function qemuCanUseKvm(): Promise<{ ok: boolean; detail: string }> {
  const qemuArgs = ['-accel', 'kvm', '-machine', 'none', '-nodefaults', '-no-user-config', '-display', 'none', '-S', '-qmp', 'stdio'];
  const asQemuUser = (await run('getent', ['passwd', QEMU_USER])).code === 0;
  const [file, args] = asQemuUser
    ? ['setpriv', ['--reuid', QEMU_USER, '--regid', 'kvm', '--init-groups', '--', QEMU, ...qemuArgs]]
    : [QEMU, qemuArgs];
  const qmp = '{"execute":"qmp_capabilities"}\n{"execute":"query-kvm"}\n{"execute":"quit"}\n';
  const result = await run(file, args, { input: qmp, timeoutMs: 20_000 }).catch((err: Error) => ({
    code: -1,
    stdout: '',
    stderr: err.message,
  }));
  const enabled = /"enabled":\s*true/.test(result.stdout);
  return { ok: enabled, detail: enabled ? `QEMU as ${asQemuUser ? QEMU_USER : 'root'}: KVM enabled` : result.stderr.trim() };
}

export async function prepareKvm(): Promise<KvmStatus> {
  try {
    await access(KVM_DEVICE, constants.F_OK);
  } catch {
    return { kvm: false, reason: `${KVM_DEVICE} does not exist` };
  }
  const kvmGid = await groupId('kvm');
  if (kvmGid !== undefined) {
    await chown(KVM_DEVICE, 0, kvmGid);
    await chmod(KVM_DEVICE, 0o660);
  }
  const probe = await qemuCanUseKvm();
  return { kvm: probe.ok, reason: probe.detail };
}
