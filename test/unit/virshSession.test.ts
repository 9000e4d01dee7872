import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localRunner } from '../../main/connection/localRunner.js';
import { statusForFailure } from '../../main/libvirt/connectionFailure.js';
import { readInventory } from '../../main/libvirt/inventoryReader.js';
import { buildDomainXml } from '../../main/libvirt/models/domainBuilder.js';
import { VirshSession, VirshSessionClosed, VirshTimeout } from '../../main/libvirt/virshSession.js';
import { HOSTILE } from './quote.test.js';

// A real virsh against libvirt's built-in test driver: its state lives in this one session.
describe('VirshSession (real virsh, test:///default)', () => {
  let session: VirshSession;
  let dir: string;

  beforeAll(async () => {
    session = await VirshSession.start(localRunner, 'test:///default');
    dir = await mkdtemp(join(tmpdir(), 'vd-virsh-test-'));
  });
  afterAll(async () => {
    session.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a command with exactly its output', async () => {
    const out = await session.runChecked(['list', '--all', '--name']);
    expect(out.split('\n').map((line) => line.trim()).filter(Boolean)).toEqual(['test']);
  });

  it('keeps outputs and errors of a batch apart, in order', async () => {
    const results = await Promise.all(
      session.runBatch([['echo', 'one'], ['dominfo', '--domain', 'no-such-vm'], ['echo', 'three'], ['uri']]),
    );
    expect(results.map((result) => result.ok)).toEqual([true, false, true, true]);
    expect(results[0]?.stdout).toBe('one');
    expect(results[1]?.stderr).toMatch(/no-such-vm/);
    expect(results[2]?.stdout).toBe('three');
    expect(results[3]?.stdout.trim()).toBe('test:///default');
  });

  it('cannot be fooled by output that looks like a marker or a prompt', async () => {
    const fake = 'VDdeadbeef 7 virsh # echo "VD" "1" error: VD 2';
    expect(await session.runChecked(['echo', '--', fake])).toBe(fake);
    expect(await session.runChecked(['echo', 'after'])).toBe('after');
  });

  it('defines, lists and acts on VMs with hostile names, exactly', async () => {
    const names = HOSTILE.filter((name) => name.length > 0 && !name.includes('/') && name !== "''");
    const commands: string[][] = [];
    for (const [index, name] of names.entries()) {
      const file = join(dir, `d${index}.xml`);
      await writeFile(file, buildDomainXml({ name, type: 'test', memoryKiB: 65536, vcpus: 1, arch: 'x86_64' }));
      commands.push(['define', '--file', file]);
    }
    const defined = await Promise.all(session.runBatch(commands));
    const failures = defined.filter((result) => !result.ok).map((result) => result.stderr);
    expect(failures).toEqual([]);

    const inventory = await readInventory(session, 'test-host');
    const listed = inventory.vms.map((vm) => vm.name);
    for (const name of names) expect(listed).toContain(name);

    // Defined, not running: persistent all the same.
    for (const name of names) expect(inventory.vms.find((vm) => vm.name === name)?.persistent).toBe(true);
    for (const name of names) {
      await session.runChecked(['start', '--domain', name]);
    }
    const after = await readInventory(session, 'test-host');
    for (const name of names) {
      expect(after.vms.find((vm) => vm.name === name)?.state).toBe('running');
    }
  });

  it('reads networks and pools of the test driver', async () => {
    const inventory = await readInventory(session, 'h');
    expect(inventory.networks.map((network) => network.name)).toContain('default');
    expect(inventory.networks[0]).toMatchObject({ active: true, forwardMode: 'nat', bridge: 'virbr0', ipv4: '192.168.122.1/24' });
    expect(inventory.pools.map((pool) => pool.name)).toContain('default-pool');
    expect(inventory.pools[0]?.capacityBytes).toBeGreaterThan(0);
  });
});

describe('VirshSession failures', () => {
  it('reports libvirt not running for a socket that does not exist', async () => {
    const error = await VirshSession.start(localRunner, 'qemu+unix:///system?socket=/nonexistent/libvirt-sock').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VirshSessionClosed);
    expect(statusForFailure(error as VirshSessionClosed)).toBe('libvirt-not-running');
  });

  it('reports virsh missing when the binary does not exist', async () => {
    const error = await VirshSession.start(localRunner, 'test:///default', '/nonexistent/virsh').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VirshSessionClosed);
    expect(statusForFailure(error as VirshSessionClosed)).toBe('virsh-missing');
  });

  it('rejects pending commands when virsh dies mid-command', async () => {
    const session = await VirshSession.start(localRunner, 'test:///default');
    const closed = new Promise((resolve) => session.onClose(resolve));
    const pending = session.run(['list', '--all']);
    session.dispose();
    await expect(pending).rejects.toBeInstanceOf(VirshSessionClosed);
    expect(session.isClosed).toBe(true);
    void closed;
  });
});

describe('a virsh that misbehaves', () => {
  it('prints garbage and never answers: the start fails with what it printed, in bounded time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vd-garbage-'));
    const fake = join(dir, 'virsh');
    await writeFile(fake, '#!/bin/sh\necho "%%% not virsh at all %%%"\nexec sleep 600\n', { mode: 0o755 });
    try {
      const error = await VirshSession.start(localRunner, 'qemu:///system', fake, 500).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VirshSessionClosed);
      expect((error as VirshSessionClosed).stderr).toMatch(/did not answer.*not virsh at all/);
      expect(statusForFailure(error as VirshSessionClosed)).toBe('error');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('VirshSession deadlines and refusals (real virsh, test driver)', () => {
  it('a command that does not answer in time fails with a timeout and ends the session', async () => {
    const session = await VirshSession.start(localRunner, 'test:///default');
    const closed = new Promise<VirshSessionClosed>((resolve) => session.onClose(resolve));
    // `event --timeout` blocks inside virsh for that long: a stand-in for a hung libvirt call.
    const stuck = session.run(['event', '--all', '--timeout', '5'], { timeoutMs: 300 });
    const queued = session.run(['uri']);
    await expect(stuck).rejects.toBeInstanceOf(VirshTimeout);
    await expect(queued).rejects.toBeInstanceOf(VirshSessionClosed);
    expect((await closed).message).toMatch(/did not answer within/);
    expect(session.isClosed).toBe(true);
  });

  it('never sends a command that reads the terminal into the shared session', async () => {
    const session = await VirshSession.start(localRunner, 'test:///default');
    try {
      expect(() => session.runBatch([['console', '--domain', 'test']])).toThrow(/cannot run in the shared session/);
      expect(() => session.runBatch([['edit', '--domain', 'test']])).toThrow(/cannot run in the shared session/);
      expect((await session.runChecked(['uri'])).trim()).toBe('test:///default');
    } finally {
      session.dispose();
    }
  });
});

describe('virsh output framing', () => {
  it("strips virsh's echo of a long line even when readline scrolled it sideways (SSH, no terminal)", async () => {
    const { cleanStdout } = await import('../../main/libvirt/virshFraming.js');
    const nonce = 'abc';
    const line = `'snapshot-dumpxml' '--domain' '${'x'.repeat(120)}' '--snapshotname' 'before'`;
    const mark = `"VD${nonce}" "7"`;
    // As captured from libvirt 9.0's virsh over SSH: the echo is `\r<` and the line's tail.
    const raw = `virsh # \r<${line.slice(-50)}\n<domainsnapshot>\n  <name>before</name>\n</domainsnapshot>\nvirsh # echo --err ${mark}\nvirsh # echo ${mark}\n`;
    expect(cleanStdout(raw, nonce, { seq: 7, line })).toBe('<domainsnapshot>\n  <name>before</name>\n</domainsnapshot>\n');
    // And the plain echo of a short line.
    expect(cleanStdout(`virsh # 'uri'\ntest:///default\nvirsh # echo --err ${mark}\nvirsh # echo ${mark}\n`, nonce, { seq: 7, line: "'uri'" })).toBe('test:///default\n');
  });
});
