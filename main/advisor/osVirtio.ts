/**
 * Whether a guest's OS (its libosinfo id, e.g. `http://debian.org/debian/12`) is Linux with
 * virtio drivers in its kernel. Linux has had virtio-blk and virtio-net since 2.6.25 (2008);
 * the distributions below shipped it from the version named. Windows needs drivers installed
 * first, so it is never suggested; an unknown or missing id is not guessed at.
 */

/** libosinfo id prefix → the first version with virtio in its stock kernel (0: every version). */
const LINUX_FIRST_VIRTIO: ReadonlyArray<readonly [string, number]> = [
  ['http://debian.org/debian/', 5],
  ['http://ubuntu.com/ubuntu/', 8.04],
  ['http://redhat.com/rhel/', 5.3],
  ['http://centos.org/centos/', 5.3],
  ['http://centos.org/centos-stream/', 0],
  ['http://fedoraproject.org/fedora/', 9],
  ['http://opensuse.org/opensuse/', 11],
  ['http://suse.com/sles/', 11],
  ['http://suse.com/sled/', 11],
  ['http://rockylinux.org/rocky/', 0],
  ['http://almalinux.org/almalinux/', 0],
  ['http://oracle.com/ol/', 5.3],
  ['http://archlinux.org/archlinux/', 0],
  ['http://alpinelinux.org/alpinelinux/', 0],
  ['http://gentoo.org/gentoo/', 0],
  ['http://nixos.org/nixos/', 0],
  ['http://linuxmint.com/linuxmint/', 0],
  ['http://mageia.org/mageia/', 0],
  ['http://voidlinux.org/voidlinux/', 0],
  ['http://libosinfo.org/linux/', 0],
];

/** True when the OS is a Linux known to support virtio disks and NICs. */
export function linuxWithVirtio(osId: string | undefined): boolean {
  if (!osId) return false;
  for (const [prefix, first] of LINUX_FIRST_VIRTIO) {
    if (!osId.startsWith(prefix)) continue;
    if (first === 0) return true;
    const version = Number.parseFloat(osId.slice(prefix.length));
    // `rolling`, `unknown`, `testing`: a current release.
    return Number.isNaN(version) || version >= first;
  }
  return false;
}
