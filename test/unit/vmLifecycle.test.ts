// Pure rules of VM lifecycle and the task list: which action applies in which of libvirt's
// eight states (with managed save and autostart), what a saved VM is called, a save's progress
// from `domjobinfo`, and the task history — bounded, logs bounded, and a task cut off by a
// restart read back as interrupted (through the real history file in a temporary directory).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VmState, type Task, type VmAction } from '../../preload/contract.js';
import { domainActionArgv, jobProgress } from '../../main/libvirt/domains.js';
import { boundHistory, historyFromFile, withLogLine } from '../../main/services/tasks/taskHistory.js';
import { TaskHistoryFile } from '../../main/services/tasks/taskHistoryFile.js';
import { TaskService } from '../../main/services/tasks/taskService.js';
import { translatorFor } from '../../renderer/src/i18n/translate.js';
import { isVmActionAvailable, isVmSaved, vmActionAsksFirst, vmActionOrder, type VmActionSubject } from '../../renderer/src/model/vmActionAvailability.js';
import { vmStateText } from '../../renderer/src/model/vmStateText.js';
import { shortcutAction, vmOfKey } from '../../renderer/src/services/vmShortcuts.js';
import { nodeKey } from '../../renderer/src/navigation/nodeRef.js';

const available = (vm: Partial<VmActionSubject> & Pick<VmActionSubject, 'state'>): VmAction[] =>
  vmActionOrder.filter((action) => isVmActionAvailable(action, { persistent: true, autostart: false, ...vm }));

describe('VM actions in each of libvirt\'s states', () => {
  it('offers exactly what libvirt accepts, state by state', () => {
    const expected: Record<VmState, VmAction[]> = {
      running: ['shutdown', 'reboot', 'suspend', 'destroy', 'save', 'autostart-enable'],
      blocked: ['shutdown', 'reboot', 'suspend', 'destroy', 'save', 'autostart-enable'],
      paused: ['resume', 'destroy', 'save', 'autostart-enable'],
      'shutting-down': ['destroy', 'autostart-enable'],
      shutoff: ['start', 'autostart-enable'],
      crashed: ['destroy', 'autostart-enable'],
      'pm-suspended': ['destroy', 'autostart-enable'],
      'no-state': ['destroy', 'autostart-enable'],
    };
    for (const state of VmState.options) expect(available({ state }), state).toEqual(expected[state]);
  });

  it('restores or discards a saved VM, saves only defined ones, and toggles autostart', () => {
    expect(available({ state: 'shutoff', managedSave: true })).toEqual(['start', 'discard-save', 'autostart-enable']);
    expect(available({ state: 'running', persistent: false })).toEqual(['shutdown', 'reboot', 'suspend', 'destroy']);
    expect(available({ state: 'shutoff', autostart: true })).toEqual(['start', 'autostart-disable']);
    expect(isVmSaved({ state: 'shutoff', managedSave: true })).toBe(true);
    // Started again, the image is gone whatever a stale flag says.
    expect(isVmSaved({ state: 'running', managedSave: true })).toBe(false);
    expect(vmActionAsksFirst('destroy') && vmActionAsksFirst('discard-save') && !vmActionAsksFirst('save')).toBe(true);
  });

  it('calls a saved VM saved, in both languages, and keeps other reasons', () => {
    const en = translatorFor('en');
    expect(vmStateText({ state: 'shutoff', stateReason: 'saved', managedSave: true }, en)).toBe('Saved');
    expect(vmStateText({ state: 'shutoff', stateReason: 'saved', managedSave: true }, translatorFor('zh-CN'))).toBe('已保存');
    expect(vmStateText({ state: 'shutoff', stateReason: 'destroyed' }, en)).toBe('Shut off (forced off)');
  });

  it('builds each command with the name as one argument after --domain', () => {
    const name = '-x; touch y';
    expect(domainActionArgv(name, 'save')).toEqual(['managedsave', '--domain', name]);
    expect(domainActionArgv(name, 'discard-save')).toEqual(['managedsave-remove', '--domain', name]);
    expect(domainActionArgv(name, 'autostart-enable')).toEqual(['autostart', '--domain', name]);
    expect(domainActionArgv(name, 'autostart-disable')).toEqual(['autostart', '--disable', '--domain', name]);
    expect(domainActionArgv(name, 'destroy')).toEqual(['destroy', '--domain', name]);
  });

  it('reads a save\'s progress from domjobinfo', () => {
    const info = ['Job type:         Unbounded', 'Operation:        Save', 'Memory processed: 32.000 MiB', 'Memory remaining: 96.000 MiB', 'Memory total:     128.000 MiB'].join('\n');
    expect(jobProgress(info)).toBeCloseTo(0.25);
    expect(jobProgress('Job type:         None\n')).toBeNull();
  });

  it('maps the shortcuts to the action that applies, and finds the VM of a key', () => {
    expect(shortcutAction('vmPause', { state: 'paused' })).toBe('resume');
    expect(shortcutAction('vmPause', { state: 'running' })).toBe('suspend');
    const key = nodeKey({ kind: 'vm', hostId: 'h/1', name: 'a/b c' });
    expect(vmOfKey(key)).toEqual({ hostId: 'h/1', name: 'a/b c' });
    expect(vmOfKey(nodeKey({ kind: 'host', hostId: 'h' }))).toBeUndefined();
  });
});

function task(id: string, state: Task['state'], at: number): Task {
  return { id, titleKey: 'task.test', state, progress: null, cancellable: false, startedAt: at, ...(state === 'running' ? {} : { endedAt: at + 1 }) };
}

describe('task history', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('keeps every running task and the newest finished ones', () => {
    const tasks = [task('r', 'running', 0), ...Array.from({ length: 10 }, (_, i) => task(`f${i}`, 'succeeded', i + 1))];
    const kept = boundHistory(tasks, 3).map((entry) => entry.id);
    expect(kept).toEqual(['r', 'f7', 'f8', 'f9']);
  });

  it('bounds a log and counts what it let go', () => {
    let entry = task('t', 'running', 0);
    for (let i = 0; i < 7; i += 1) entry = withLogLine(entry, { at: i, level: 'info', text: `line ${i}` }, 5);
    expect(entry.log?.map((line) => line.text)).toEqual(['line 2', 'line 3', 'line 4', 'line 5', 'line 6']);
    expect(entry.logDropped).toBe(2);
  });

  it('reads a task that was running as interrupted, and skips entries that do not parse', () => {
    const restored = historyFromFile([task('a', 'running', 5), { id: 'broken' }, task('b', 'failed', 1)], 99);
    expect(restored.map((entry) => [entry.id, entry.state])).toEqual([
      ['b', 'failed'],
      ['a', 'interrupted'],
    ]);
    expect(restored[1]).toMatchObject({ endedAt: 99, cancellable: false });
  });

  it('survives a restart through the history file: finished tasks with their logs, a cut-off one interrupted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vd-tasks-'));
    dirs.push(dir);
    const first = new TaskService(() => undefined, new TaskHistoryFile(dir));
    await first.load();
    await first.run({ titleKey: 'task.vm.start', titleParams: { name: 'a' } }, async ({ log }) => {
      log('virsh start --domain a');
      log({ key: 'taskLog.done', level: 'ok' });
    });
    await expect(first.run({ titleKey: 'task.vm.save' }, async () => Promise.reject(new Error('no space')))).rejects.toThrow('no space');
    let release!: () => void;
    const hanging = first.run({ titleKey: 'task.vm.shutdown' }, () => new Promise<void>((resolve) => (release = resolve)));
    await first.flush();
    const raw = JSON.parse(await readFile(join(dir, 'tasks.json'), 'utf8')) as { tasks: Task[] };
    expect(raw.tasks.map((entry) => entry.state)).toEqual(['succeeded', 'failed', 'running']);

    const second = new TaskService(() => undefined, new TaskHistoryFile(dir));
    await second.load();
    const listed = second.list();
    expect(listed.map((entry) => [entry.titleKey, entry.state])).toEqual([
      ['task.vm.start', 'succeeded'],
      ['task.vm.save', 'failed'],
      ['task.vm.shutdown', 'interrupted'],
    ]);
    expect(listed[0]?.log?.map((line) => line.text ?? line.key)).toEqual(['virsh start --domain a', 'taskLog.done']);
    expect(listed[1]?.error).toBe('no space');
    release();
    await hanging;
  });

  it('starts empty from an unreadable file and replaces it on the next change', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vd-tasks-'));
    dirs.push(dir);
    await writeFile(join(dir, 'tasks.json'), '{not json');
    const service = new TaskService(() => undefined, new TaskHistoryFile(dir));
    await service.load();
    expect(service.list()).toEqual([]);
    await service.run({ titleKey: 'task.vm.start' }, async () => undefined);
    await service.flush();
    expect((await new TaskHistoryFile(dir).load()).map((entry) => entry.state)).toEqual(['succeeded']);
  });
});
