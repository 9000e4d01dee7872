/**
 * The reference every connect is measured against, taken in the same run on the same hosts: a
 * bare OpenSSH script that does the app's first reads — SSH handshake, virsh start, `list --all`
 * and (for more than one host) one `domstats` — on every host at once. The app cannot be faster
 * than this on the same machine; the ratio connect_to_tree_ms / limit_ms is what counts.
 */
import { spawn } from 'node:child_process';
import { labSshConfigPath, type LabHost } from '../lab/index.js';

function runSsh(host: LabHost, remote: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', ['-F', labSshConfigPath(), '-o', 'ControlMaster=no', '-o', 'ControlPath=none', '-o', 'BatchMode=yes', host.name, remote], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = 0;
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.length));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0 && out > 0) resolve();
      else reject(new Error(`bare ssh to ${host.name} failed (exit ${code}, ${out} bytes): ${err.trim().slice(0, 500)}`));
    });
  });
}

/** ms for the first reads of all `hosts` in parallel. */
export async function bareFirstReads(hosts: readonly LabHost[], withDomstats: boolean): Promise<number> {
  const commands = withDomstats ? 'list --all --uuid --name; domstats --raw --state --balloon --nowait' : 'list --all --uuid --name';
  const started = Date.now();
  // Lab URIs and commands hold no quote characters.
  await Promise.all(hosts.map((host) => runSsh(host, `virsh -q -c '${host.libvirtUri}' '${commands}'`)));
  return Date.now() - started;
}
