// The pure parts of a migration: virsh's argv, the destination URI, and domjobinfo --rawstats.
import { describe, expect, it } from 'vitest';
import { destinationUri, jobFraction, migrateArgv, parseJobStats } from '../../main/libvirt/migration.js';
import { availableKiB } from '../../main/libvirt/migrationChecks.js';

const target = { address: '198.18.0.11', port: 2222, user: 'vd lab', uri: 'qemu:///system', keyFile: '/home/vd lab/.ssh/virtdeck_migrate' };

describe('migration argv', () => {
  it('builds a live copy-storage migration to the target address, without --p2p', () => {
    const argv = migrateArgv('vm', target, { mode: 'live', storage: 'copy', persistent: true, undefineSource: true, bandwidthMiBs: 5 });
    expect(argv).toEqual(['migrate', '--live', '--persistent', '--undefinesource', '--copy-storage-all', '--bandwidth', '5', '--domain', 'vm', '--desturi', destinationUri(target), '--migrateuri', 'tcp://198.18.0.11']);
    expect(argv).not.toContain('--p2p');
  });
  it('an offline migration is always persistent and copies nothing', () => {
    expect(migrateArgv('vm', target, { mode: 'offline', storage: 'copy', persistent: false, undefineSource: false })).toEqual(['migrate', '--offline', '--persistent', '--domain', 'vm', '--desturi', destinationUri(target)]);
  });
  it('escapes the user and key path in the URI and refuses other drivers', () => {
    expect(destinationUri(target)).toBe('qemu+ssh://vd%20lab@198.18.0.11:2222/system?no_tty=1&keyfile=%2Fhome%2Fvd%20lab%2F.ssh%2Fvirtdeck_migrate');
    expect(() => destinationUri({ ...target, uri: 'test:///default' })).toThrow();
  });
});

describe('domjobinfo --rawstats', () => {
  it('reads the typed parameters and the share done', () => {
    const numbers = parseJobStats('Job type: 2\n\noperation: 2\ntime_elapsed: 1500\ndata_total: 1000\ndata_processed: 250\ndata_remaining: 750\nmemory_dirty_rate: 12\ndisk_processed: 10\n');
    expect(numbers).toEqual({ elapsedMs: 1500, dataTotal: 1000, dataProcessed: 250, dataRemaining: 750, memoryDirtyRate: 12, diskProcessed: 10 });
    expect(jobFraction(numbers!)).toBe(0.25);
  });
  it('no job: nothing', () => {
    expect(parseJobStats('Job type: 0\n\n')).toBeUndefined();
    expect(parseJobStats('Job type:         None        \n')).toBeUndefined();
  });
  it('free memory from nodememstats', () => {
    expect(availableKiB('total  :             24683364 KiB\nfree   :             22795480 KiB\nbuffers:                 1000 KiB\ncached :                 2000 KiB\n')).toBe(22798480);
  });
});
