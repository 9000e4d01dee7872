// Pure pieces of storage: names refused for the same reasons in the form and in main, each
// pool type's definition with exactly the fields libvirt needs, a new volume's definition,
// the conversion progress parser and the sizes and rates the dialogs show.
import { describe, expect, it } from 'vitest';
import { poolDefinition } from '../../main/libvirt/poolDefinition.js';
import { volumeDefinition } from '../../main/libvirt/volumes.js';
import { storageNameProblem } from '../../preload/contract.js';
import { sizeBytes } from '../../renderer/src/components/storage/SizeField.js';
import { transferRate } from '../../renderer/src/components/storage/volumeTransfer.js';

describe('storage names', () => {
  it('refuses empty, slash, bad characters, too long and taken names', () => {
    expect(storageNameProblem('', [])).toBe('empty');
    expect(storageNameProblem('a/b', [])).toBe('slash');
    expect(storageNameProblem('-rf', [])).toBe('invalid');
    expect(storageNameProblem('.hidden', [])).toBe('invalid');
    expect(storageNameProblem('has space', [])).toBe('invalid');
    expect(storageNameProblem('x'.repeat(201), [])).toBe('too-long');
    expect(storageNameProblem('disk.qcow2', ['disk.qcow2'])).toBe('duplicate');
    expect(storageNameProblem('磁盘-1.qcow2', ['disk.qcow2'])).toBeUndefined();
  });
});

describe('pool definitions', () => {
  it('dir: a target folder only', () => {
    expect(poolDefinition({ type: 'dir', name: 'p', targetPath: '/srv/p' }).toXml()).toMatch(/^<pool type='dir'>\s*<name>p<\/name>\s*<target>\s*<path>\/srv\/p<\/path>\s*<\/target>\s*<\/pool>\s*$/);
  });
  it('fs: the device, its file system and the mount folder', () => {
    const xml = poolDefinition({ type: 'fs', name: 'p', device: '/dev/sdb1', format: 'ext4', targetPath: '/mnt/p' }).toXml();
    expect(xml).toMatch(/<source>\s*<device path='\/dev\/sdb1'\/>\s*<format type='ext4'\/>\s*<\/source>\s*<target>\s*<path>\/mnt\/p<\/path>/);
  });
  it('netfs: server, export and nfs, in libvirt order', () => {
    const xml = poolDefinition({ type: 'netfs', name: 'p', server: 'nas', exportPath: '/export', format: 'nfs', targetPath: '/mnt/p' }).toXml();
    expect(xml).toMatch(/<source>\s*<host name='nas'\/>\s*<dir path='\/export'\/>\s*<format type='nfs'\/>\s*<\/source>/);
  });
  it('logical: devices, the group and lvm2; the target is the group under /dev', () => {
    const xml = poolDefinition({ type: 'logical', name: 'p', volumeGroup: 'vg0', devices: ['/dev/sdb', '/dev/sdc'] }).toXml();
    expect(xml).toMatch(/<device path='\/dev\/sdb'\/>\s*<device path='\/dev\/sdc'\/>\s*<name>vg0<\/name>\s*<format type='lvm2'\/>/);
    expect(xml).toContain('<path>/dev/vg0</path>');
  });
  it('iscsi: portal with port, the IQN as device, stable LUN names', () => {
    const xml = poolDefinition({ type: 'iscsi', name: 'p', portal: '192.0.2.1', port: 3261, iqn: 'iqn.2026-01.x:y' }).toXml();
    expect(xml).toMatch(/<host name='192\.0\.2\.1' port='3261'\/>\s*<device path='iqn\.2026-01\.x:y'\/>/);
    expect(xml).toContain('<path>/dev/disk/by-path</path>');
  });
});

describe('volume definitions', () => {
  it('sparse: allocation 0; preallocated: allocation = capacity; backing with its format', () => {
    expect(volumeDefinition({ name: 'a', format: 'raw', capacityBytes: 1024, preallocate: false })).toMatch(/<capacity unit='bytes'>1024<\/capacity>\s*<allocation unit='bytes'>0<\/allocation>/);
    expect(volumeDefinition({ name: 'a', format: 'qcow2', capacityBytes: 1024, preallocate: true })).toMatch(/<allocation unit='bytes'>1024<\/allocation>[\s\S]*<format type='qcow2'\/>/);
    expect(volumeDefinition({ name: 'a', format: 'qcow2', capacityBytes: 1024, preallocate: false }, { path: '/p/base.raw', format: 'raw' })).toMatch(/<backingStore>\s*<path>\/p\/base\.raw<\/path>\s*<format type='raw'\/>/);
  });
});

describe('sizes and rates', () => {
  it('reads sizes in MiB/GiB and refuses what is not one', () => {
    expect(sizeBytes('1.5', 'GiB')).toBe(1.5 * 1024 ** 3);
    expect(sizeBytes('64', 'MiB')).toBe(64 << 20);
    expect(sizeBytes('0', 'GiB')).toBeUndefined();
    expect(sizeBytes('abc', 'GiB')).toBeUndefined();
    expect(sizeBytes('', 'GiB')).toBeUndefined();
  });
  it('speed so far and time left at it', () => {
    expect(transferRate(50, 100, 1000)).toEqual({ bytesPerSecond: 50, remainingSeconds: 1 });
    expect(transferRate(0, 100, 0).remainingSeconds).toBeUndefined();
  });
});
