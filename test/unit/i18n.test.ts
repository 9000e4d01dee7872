import { describe, expect, it } from 'vitest';
import { AuthMethod, ErrorCode, HostDetails, HostStatus, VmAction, VmState } from '../../preload/contract.js';
import { problemMessageKey } from '../../renderer/src/profiles/draftValidation.js';
import { shortcutMap } from '../../renderer/src/shortcuts/shortcutMap.js';
import { en } from '../../renderer/src/i18n/en.js';
import { zhCN } from '../../renderer/src/i18n/zh-CN.js';
import { languageFromLocale, resolveLanguage } from '../../renderer/src/i18n/resolveLanguage.js';
import {
  interpolate,
  isMessageKey,
  paramNames,
  translate,
  translatorFor,
} from '../../renderer/src/i18n/translate.js';

const enKeys = Object.keys(en).sort();
const zhKeys = Object.keys(zhCN).sort();

describe('translation catalogs', () => {
  it('have exactly the same keys', () => {
    expect(zhKeys).toEqual(enKeys);
  });

  it('have no empty values', () => {
    for (const [key, value] of [...Object.entries(en), ...Object.entries(zhCN)]) {
      expect(value.trim(), key).not.toBe('');
    }
  });

  it('use the same interpolation parameters in every language', () => {
    for (const key of enKeys) {
      const english = en[key as keyof typeof en];
      const chinese = zhCN[key as keyof typeof zhCN];
      expect(paramNames(chinese), key).toEqual(paramNames(english));
    }
  });

  it('come in both plural forms when one is there', () => {
    for (const key of enKeys) {
      if (key.endsWith('_one')) expect(enKeys, key).toContain(key.replace(/_one$/, '_other'));
      if (key.endsWith('_other')) expect(enKeys, key).toContain(key.replace(/_other$/, '_one'));
    }
  });

  it('translate every contract error code, host status, VM state and VM action', () => {
    for (const code of ErrorCode.options) expect(isMessageKey(`error.${code}`), code).toBe(true);
    for (const status of HostStatus.options) {
      expect(isMessageKey(`hostStatus.${status}`), status).toBe(true);
      // Connected needs no remedy; every other state tells the user what to do.
      if (status !== 'connected') expect(isMessageKey(`hostRemedy.${status}`), status).toBe(true);
    }
    for (const state of VmState.options) expect(isMessageKey(`vmState.${state}`), state).toBe(true);
    for (const action of VmAction.options) {
      expect(isMessageKey(`vmAction.${action}`), action).toBe(true);
      expect(isMessageKey(`vmActionFailed.${action}`), action).toBe(true);
      expect(isMessageKey(`task.vm.${action}`), action).toBe(true);
    }
  });

  it('translate the new host-profile, prompt, details and VM-list vocabulary', () => {
    for (const method of AuthMethod.options) expect(isMessageKey(`authMethod.${method}`), method).toBe(true);
    for (const method of AuthMethod.options) expect(isMessageKey(`hostForm.authHint.${method}`), method).toBe(true);
    for (const virt of HostDetails.shape.hardwareVirtualization.options) expect(isMessageKey(`hostDetails.hwvirt.${virt}`), virt).toBe(true);
    for (const action of VmAction.options) expect(isMessageKey(`bulkActionFailed.${action}`), action).toBe(true);
    for (const key of Object.values(problemMessageKey)) expect(isMessageKey(key), key).toBe(true);
    for (const shortcut of shortcutMap) expect(isMessageKey(shortcut.labelKey), shortcut.id).toBe(true);
    for (const column of ['name', 'host', 'state', 'vcpus', 'memory', 'cpu', 'ip']) {
      expect(isMessageKey(`vmList.column.${column}`), column).toBe(true);
    }
  });

  it('translate the catalog keys main sends (import notes, what a host is missing)', () => {
    const fromMain = [
      'import.note.proxyCommandIgnored',
      'import.note.proxyJumpInvalid',
      'import.note.includeMissing',
      'import.note.includeCycle',
      'import.note.matchUnsupported',
      'import.note.identityFileMissing',
      'import.note.portInvalid',
      'hostMissing.hardwareVirtualization',
      'hostMissing.kvm',
      'hostMissing.qemu',
    ];
    for (const key of fromMain) expect(isMessageKey(key), key).toBe(true);
    expect(translatorFor('zh-CN').dynamic('hostMissing.kvm')).toContain('/dev/kvm');
  });

  it('explain a changed host key plainly: reinstall or impostor, check before connecting', () => {
    expect(paramNames(en['hostRemedy.host-key-changed'])).toEqual(['host']);
    expect(en['hostRemedy.host-key-changed']).toMatch(/reinstalled/);
    expect(en['hostRemedy.host-key-changed']).toMatch(/impersonating/);
    expect(en['hostRemedy.host-key-changed']).toMatch(/Do not connect/);
    expect(zhCN['hostRemedy.host-key-changed']).toMatch(/重装/);
    expect(zhCN['hostRemedy.host-key-changed']).toMatch(/冒充/);
    expect(en['transport.lostTitle']).toBe('Lost the connection to the VirtDeck service');
    expect(en['removeHost.body']).toMatch(/Nothing on the host itself is touched/);
    expect(en['hostForm.rememberWebMode']).toMatch(/web mode/);
  });

  it('say what to do when libvirt is not running, in both languages', () => {
    expect(en['hostRemedy.libvirt-not-running']).toContain('systemctl start libvirtd');
    expect(zhCN['hostRemedy.libvirt-not-running']).toContain('systemctl start libvirtd');
    expect(zhCN['vmState.running']).toBe('运行中');
    expect(zhCN['vmAction.destroy']).toBe('强制关机');
  });

  it('keep Chinese text free of untranslated English sentences', () => {
    // Allowed Latin: product and tool names, commands, ssh_config keywords, units and symbols.
    const allowed =
      /^(VirtDeck|libvirt|virsh|URI|UUID|IPv4|IP|CPU|vCPU|MAC|DHCP|ARP|LUN|GPU|SSH|KVM|QEMU|Intel|AMD|Debian|Ubuntu|Fedora|RHEL|English|MIT|systemctl|start|libvirtd|usermod|aG|apt|install|sudo|root|NOPASSWD|clients|client|daemon|system|Host|Port|Include|Match|IdentityFile|ProxyJump|ProxyCommand|Ctrl|Shift|Esc|SPICE|qcow2|raw|ISO|UEFI|BIOS|OVMF|NVRAM|VNC|IPv6|pty|console|pflash|XML|MiB|PXE|AIO|Linux|virtio|none|writeback|directsync|LVM|NFS|iSCSI|IQN|vmdk|VMware|dir|fs|netfs|logical|iscsi|qemu|img|convert|NNSA|NAP|DoD|BSI|Gutmann|Schneier|Pfitzner|default|NAT|DNS|TFTP|dnsmasq|virbrN|veth|bond|VLAN|Open|vSwitch|NetworkManager|netplan|ifupdown|ifupdown2|ifcfg|Docker|iptables|README|sudoers|sh|STP|SLAAC|setsid|nohup|Xen|TCG|URL|curl|wget|HTTP|HTTPS|FTP|openSUSE|ttyS0|PV|initrd|EFI|GiB|osinfo|LXC|macvtap|maximum|Windows|KSM|NTP|chrony|initramfs|unsafe|sda|vda|[a-z]?)$/i;
    // Paths, URIs, host names and hyphenated tool names (~/.ssh/config, qemu:///system,
    // ssh-agent, VT-x, kvm_intel) are code, not sentences: they stay as they are.
    const code = /[!-~]*[/:._@-][!-~]*/g;
    for (const key of zhKeys) {
      const value = zhCN[key as keyof typeof zhCN].replace(/\{\w+\}/g, '').replace(code, '');
      const words = value.match(/[A-Za-z][A-Za-z0-9]*/g) ?? [];
      for (const word of words) expect(allowed.test(word), `${key}: ${word}`).toBe(true);
    }
  });
});

describe('t()', () => {
  it('interpolates {name} parameters and leaves unknown ones visible', () => {
    expect(interpolate('Force off {name}?', { name: 'web01' })).toBe('Force off web01?');
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    expect(translate('zh-CN', 'vm.confirmDestroy.title', { name: 'web01' })).toBe('强制关闭 web01？');
  });

  it('picks plural forms by count', () => {
    const t = translatorFor('en');
    expect(t.count('statusbar.hostsConnected', 1)).toBe('1 host connected');
    expect(t.count('statusbar.hostsConnected', 2)).toBe('2 hosts connected');
    expect(translatorFor('zh-CN').count('statusbar.hostsConnected', 2)).toBe('2 台主机已连接');
    expect(t.count('statusbar.hostsConnectedOf', 50, { connected: 12 })).toBe('12 of 50 hosts connected');
    expect(translatorFor('zh-CN').count('statusbar.hostsConnectedOf', 50, { connected: 12 })).toBe('50 台主机中已连接 12 台');
  });

  it('translates keys that arrive at run time, and shows unknown ones as they are', () => {
    const t = translatorFor('zh-CN');
    expect(t.dynamic('task.vm.start', { name: 'db', host: 'demo' })).toBe('启动 db');
    expect(t.dynamic('task.unknown', { name: 'db' })).toBe('task.unknown (db)');
  });

  it('returns one stable translator per language', () => {
    expect(translatorFor('en')).toBe(translatorFor('en'));
    expect(translatorFor('en').language).toBe('en');
  });
});

describe('language choice', () => {
  it('maps any Chinese locale to zh-CN and everything else to English', () => {
    expect(languageFromLocale('zh-CN')).toBe('zh-CN');
    expect(languageFromLocale('zh-TW')).toBe('zh-CN');
    expect(languageFromLocale('zh')).toBe('zh-CN');
    expect(languageFromLocale('en-US')).toBe('en');
    expect(languageFromLocale('de-DE')).toBe('en');
    expect(languageFromLocale('')).toBe('en');
  });

  it('prefers the language chosen in settings over the system one', () => {
    expect(resolveLanguage(null, 'zh-CN')).toBe('zh-CN');
    expect(resolveLanguage('en', 'zh-CN')).toBe('en');
    expect(resolveLanguage('zh-CN', 'en-US')).toBe('zh-CN');
  });
});

describe('libvirt state reasons', () => {
  it('has words for every reason libvirt gives, in both languages', async () => {
    const { STATE_REASONS } = await import('../../main/libvirt/domainState.js');
    const { isMessageKey } = await import('../../renderer/src/i18n/translate.js');
    const missing: string[] = [];
    for (const [state, reasons] of Object.entries(STATE_REASONS)) {
      for (const reason of reasons ?? []) if (reason !== 'unknown' && !isMessageKey(`vmReason.${state}.${reason}`)) missing.push(`${state}.${reason}`);
    }
    expect(missing).toEqual([]);
  });
});
