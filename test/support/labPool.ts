/**
 * A dir storage pool on a lab host for a test's volumes: defined and started with virsh on the
 * host, its removal (pool, definition file, directory) registered in the test's cleanup list.
 */
import { labExec } from '../lab/index.js';

export async function defineLabDirPool(host: string, name: string, path: string, cleanup: string[][]): Promise<void> {
  const virsh = async (...argv: string[]) => {
    const result = await labExec(host, ['virsh', '-q', '-c', 'qemu:///system', ...argv]);
    if (result.code !== 0) throw new Error(`virsh ${argv.join(' ')}: ${result.stderr}`);
  };
  await labExec(host, ['mkdir', '-p', path]);
  cleanup.push(['rm', '-rf', path]);
  await labExec(host, ['sh', '-c', 'cat > "$1"', 'sh', `${path}.xml`], { input: `<pool type='dir'><name>${name}</name><target><path>${path}</path></target></pool>` });
  await virsh('pool-define', `${path}.xml`);
  await virsh('pool-start', name);
  cleanup.unshift(['rm', '-f', `${path}.xml`]);
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'pool-undefine', name]);
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'pool-destroy', name]);
}
