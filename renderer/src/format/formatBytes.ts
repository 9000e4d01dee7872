/** Binary units (what libvirt and `virsh` report): 1 KiB = 1024 bytes. */
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** "1.5 GiB", "512 MiB", "0 B" — one decimal at most, trailing zero dropped. */
export function formatBytes(bytes: number, locale: string): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return `0 ${UNITS[0]}`;
  let unit = 0;
  let value = bytes;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : 1;
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
  return `${number} ${UNITS[unit] ?? 'B'}`;
}

/** Guest memory: KiB from libvirt, shown as MiB below 1 GiB and GiB from there. */
export function formatMemoryKiB(kib: number, locale: string): string {
  return formatBytes(kib * 1024, locale);
}

/** Whole percent of used/total, 0 when total is 0. */
export function percentOf(used: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(100, Math.max(0, Math.round((used / total) * 100)));
}
