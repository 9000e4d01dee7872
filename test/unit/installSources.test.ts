// Install sources, pure parts: .treeinfo (old [general] and new [release]/[tree] layouts),
// Debian MANIFEST, Debian tree roots from URLs, SUSE trees, OS id and repository-argument
// guesses, Ubuntu releases without a network installer, and how curl's/wget's exits are read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkInstallUrl, fetchOutcome } from '../../main/install/hostFetch.js';
import { installSourceErrorOf } from '../../main/install/sourceErrors.js';
import { debianRoot, parseDebianManifest, parseTreeinfo, suseTree, treeProbes, ubuntuLiveOnly } from '../../main/install/trees.js';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', 'install', name), 'utf8');

describe('tree files', () => {
  it('reads a productmd .treeinfo (Fedora)', () => {
    const tree = parseTreeinfo(fixture('treeinfo-fedora.ini'), 'http://mirror.test/fedora/39/Everything/x86_64/os');
    expect(tree).toEqual({
      url: 'http://mirror.test/fedora/39/Everything/x86_64/os/',
      layout: 'treeinfo',
      family: 'fedora',
      name: 'Fedora',
      version: '39',
      arch: 'x86_64',
      kernelUrl: 'http://mirror.test/fedora/39/Everything/x86_64/os/images/pxeboot/vmlinuz',
      initrdUrl: 'http://mirror.test/fedora/39/Everything/x86_64/os/images/pxeboot/initrd.img',
      repoArg: 'inst.repo=http://mirror.test/fedora/39/Everything/x86_64/os/',
      osId: 'fedora39',
    });
  });

  it('reads an old [general] .treeinfo (CentOS 7) and has no images for another arch', () => {
    const tree = parseTreeinfo(fixture('treeinfo-centos7.ini'), 'ftp://mirror.test/centos/7/os/x86_64/');
    expect(tree).toMatchObject({ family: 'centos', version: '7', osId: 'centos7.0', repoArg: 'inst.repo=ftp://mirror.test/centos/7/os/x86_64/' });
    expect(parseTreeinfo(fixture('treeinfo-centos7.ini'), 'ftp://mirror.test/c/', 'aarch64')).toBeUndefined();
    expect(parseTreeinfo('not = ini [at all', 'http://x.test/')).toBeUndefined();
  });

  it('reads a Debian MANIFEST and finds the installer folder from URLs around it', () => {
    const root = 'http://deb.test/debian/dists/bookworm/main/installer-amd64/';
    expect(debianRoot('http://deb.test/debian/dists/bookworm')).toMatchObject({ root, suite: 'bookworm', debArch: 'amd64' });
    expect(debianRoot(`${root}current/images/netboot/`).root).toBe(root);
    const tree = parseDebianManifest(fixture('debian-MANIFEST'), root, 'images', 'bookworm', 'amd64');
    expect(tree).toMatchObject({
      layout: 'debian',
      family: 'debian',
      version: '12',
      osId: 'debian12',
      arch: 'x86_64',
      kernelUrl: `${root}current/images/netboot/debian-installer/amd64/linux`,
      initrdUrl: `${root}current/images/netboot/debian-installer/amd64/initrd.gz`,
    });
    expect(tree.repoArg).toBeUndefined();
    const focal = parseDebianManifest('netboot/ubuntu-installer/amd64/linux\n', 'http://u.test/ubuntu/dists/focal/main/installer-amd64/', 'legacy-images', 'focal');
    expect(focal).toMatchObject({ family: 'ubuntu', version: '20.04', osId: 'ubuntu20.04' });
    expect(focal.kernelUrl).toContain('/current/legacy-images/netboot/ubuntu-installer/amd64/linux');
  });

  it('knows which Ubuntu releases have no network installer', () => {
    expect(ubuntuLiveOnly('http://u.test/ubuntu/dists/jammy/main/installer-amd64/')).toBe('22.04');
    expect(ubuntuLiveOnly('http://u.test/ubuntu/dists/focal/main/installer-amd64/')).toBeUndefined();
    expect(ubuntuLiveOnly('http://deb.test/debian/dists/bookworm/')).toBeUndefined();
  });

  it('builds a SUSE tree with install= and the product from media.1/products', () => {
    expect(suseTree('http://o.test/leap/15.5/repo/oss/', 'x86_64', '/ openSUSE-Leap 15.5-1\n')).toMatchObject({
      layout: 'suse',
      family: 'opensuse',
      version: '15.5',
      osId: 'opensuse15.5',
      kernelUrl: 'http://o.test/leap/15.5/repo/oss/boot/x86_64/loader/linux',
      repoArg: 'install=http://o.test/leap/15.5/repo/oss/',
    });
  });

  it('lists every file it looks for', () => {
    const probes = treeProbes('http://t.test/tree');
    expect(probes.treeinfo).toEqual(['http://t.test/tree/.treeinfo', 'http://t.test/tree/treeinfo']);
    expect(probes.suse).toEqual(['http://t.test/tree/boot/x86_64/loader/linux', 'http://t.test/tree/boot/x86_64/loader/initrd']);
  });
});

describe('fetching on the host', () => {
  it('tells a missing file from an unreachable server, for curl and wget', () => {
    expect(fetchOutcome({ code: 0, stdout: 'x', stderr: 'VDFETCH curl 0' })).toEqual({ ok: true, text: 'x', tool: 'curl' });
    expect(fetchOutcome({ code: 22, stdout: '', stderr: 'curl: (22) The requested URL returned error: 404\nVDFETCH curl 22' })).toMatchObject({ ok: false, kind: 'missing' });
    expect(fetchOutcome({ code: 22, stdout: '', stderr: 'curl: (22) The requested URL returned error: 500\nVDFETCH curl 22' })).toMatchObject({ ok: false, kind: 'unreachable' });
    expect(fetchOutcome({ code: 7, stdout: '', stderr: 'curl: (7) Failed to connect to 198.18.0.1 port 9: Connection refused\nVDFETCH curl 7' })).toEqual({
      ok: false,
      kind: 'unreachable',
      reason: 'curl: (7) Failed to connect to 198.18.0.1 port 9: Connection refused',
    });
    expect(fetchOutcome({ code: 8, stdout: '', stderr: 'http://x.test/a:\n2026-12-02 ERROR 404: Not Found.\nVDFETCH wget 8' })).toMatchObject({ ok: false, kind: 'missing' });
    expect(fetchOutcome({ code: 4, stdout: '', stderr: 'failed: Connection refused.\nVDFETCH wget 4' })).toMatchObject({ ok: false, kind: 'unreachable' });
  });

  it('says so when the host has neither curl nor wget, and refuses what is not a URL', () => {
    let error: unknown;
    try {
      fetchOutcome({ code: 3, stdout: '', stderr: 'VDFETCH none 127' });
    } catch (caught) {
      error = caught;
    }
    expect(installSourceErrorOf(error)?.reason).toBe('no-fetch-tool');
    expect(() => checkInstallUrl('file:///etc/passwd')).toThrow(/not an http/);
    expect(() => checkInstallUrl('http://a.test/x\ny')).toThrow();
    expect(checkInstallUrl(' http://a.test/x ')).toBe('http://a.test/x');
  });
});
