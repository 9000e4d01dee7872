/**
 * The order in which libvirt (9.x, domain_conf.c) writes a domain's elements, checked against
 * `virsh dumpxml` of definitions given in scrambled order. Names missing here go last.
 */
import type { ChildOrder } from './elementLayout.js';

const DEVICE_COMMON = ['alias', 'acpi', 'address'];
const CHARACTER_DEVICE = ['source', 'protocol', 'log', 'target', ...DEVICE_COMMON];

export const DOMAIN_CHILD_ORDER: ChildOrder = new Map<string, readonly string[]>([
  [
    'domain',
    [
      'name', 'uuid', 'genid', 'title', 'description', 'metadata', 'maxMemory', 'memory', 'currentMemory',
      'blkiotune', 'memtune', 'memoryBacking', 'vcpu', 'vcpus', 'iothreads', 'iothreadids', 'defaultiothread',
      'cputune', 'numatune', 'resource', 'sysinfo', 'bootloader', 'bootloader_args', 'os', 'idmap', 'features',
      'cpu', 'clock', 'on_poweroff', 'on_reboot', 'on_crash', 'on_lockfailure', 'pm', 'perf', 'devices',
      'seclabel', 'keywrap', 'launchSecurity',
    ],
  ],
  [
    'os',
    [
      'type', 'firmware', 'init', 'initarg', 'initenv', 'initdir', 'inituser', 'initgroup', 'loader', 'nvram',
      'kernel', 'initrd', 'cmdline', 'shim', 'dtb', 'root', 'acpi', 'boot', 'bootmenu', 'bios', 'smbios',
    ],
  ],
  [
    'features',
    [
      'acpi', 'apic', 'pae', 'hap', 'viridian', 'privnet', 'hyperv', 'kvm', 'pvspinlock', 'capabilities', 'pmu',
      'vmport', 'gic', 'smm', 'ioapic', 'hpt', 'vmcoreinfo', 'htm', 'nested-hv', 'msrs', 'ccf-assist', 'xen',
      'cfpc', 'sbbc', 'ibs', 'tcg', 'async-teardown', 'ras', 'ps2',
    ],
  ],
  ['cpu', ['model', 'vendor', 'topology', 'cache', 'maxphysaddr', 'feature', 'numa']],
  ['clock', ['timer']],
  ['pm', ['suspend-to-mem', 'suspend-to-disk']],
  ['memtune', ['hard_limit', 'soft_limit', 'swap_hard_limit', 'min_guarantee']],
  ['memoryBacking', ['hugepages', 'nosharepages', 'locked', 'source', 'access', 'allocation', 'discard']],
  ['resource', ['partition', 'fibrechannel']],
  [
    'devices',
    [
      'emulator', 'disk', 'controller', 'lease', 'filesystem', 'interface', 'smartcard', 'serial', 'parallel',
      'console', 'channel', 'input', 'tpm', 'graphics', 'sound', 'audio', 'video', 'hostdev', 'redirdev',
      'redirfilter', 'hub', 'watchdog', 'memballoon', 'rng', 'panic', 'shmem', 'memory', 'iommu', 'vsock',
      'crypto', 'pstore',
    ],
  ],
  [
    'disk',
    [
      'driver', 'auth', 'source', 'backingStore', 'geometry', 'blockio', 'target', 'iotune', 'readonly',
      'shareable', 'transient', 'serial', 'wwn', 'vendor', 'product', 'encryption', 'boot', ...DEVICE_COMMON,
    ],
  ],
  // A disk's and a hostdev's <source> share the name; their children do not collide.
  ['source', ['host', 'snapshot', 'config', 'auth', 'encryption', 'reservations', 'initiator', 'vendor', 'product', 'adapter', 'address', 'seclabel']],
  ['backingStore', ['format', 'source', 'backingStore']],
  ['auth', ['secret']],
  [
    'interface',
    [
      'mac', 'source', 'vlan', 'virtualport', 'bandwidth', 'ip', 'route', 'script', 'downscript',
      'backenddomain', 'target', 'guest', 'model', 'driver', 'backend', 'filterref', 'tune', 'teaming', 'link',
      'mtu', 'coalesce', 'boot', 'rom', ...DEVICE_COMMON,
    ],
  ],
  ['controller', ['model', 'target', 'driver', ...DEVICE_COMMON]],
  ['filesystem', ['driver', 'binary', 'source', 'target', 'readonly', 'space_hard_limit', 'space_soft_limit', ...DEVICE_COMMON]],
  ['serial', CHARACTER_DEVICE],
  ['parallel', CHARACTER_DEVICE],
  ['console', CHARACTER_DEVICE],
  ['channel', CHARACTER_DEVICE],
  // A serial port's <target> holds a <model>; a memory device's holds sizes.
  ['target', ['model', 'size', 'node', 'label', 'block', 'requested', 'current', 'address']],
  ['input', ['source', 'driver', ...DEVICE_COMMON]],
  ['tpm', ['backend', ...DEVICE_COMMON]],
  [
    'graphics',
    ['listen', 'channel', 'image', 'jpeg', 'zlib', 'playback', 'streaming', 'mouse', 'clipboard', 'filetransfer', 'gl', 'audio'],
  ],
  ['sound', ['codec', 'audio', ...DEVICE_COMMON]],
  ['video', ['driver', 'model', ...DEVICE_COMMON]],
  ['hostdev', ['driver', 'source', 'boot', 'rom', ...DEVICE_COMMON]],
  ['redirdev', ['source', 'protocol', 'boot', ...DEVICE_COMMON]],
  ['watchdog', DEVICE_COMMON],
  ['memballoon', ['stats', 'driver', ...DEVICE_COMMON]],
  ['rng', ['rate', 'backend', 'driver', ...DEVICE_COMMON]],
]);
