/**
 * libvirt's size units (`<memory unit='KiB'>`, `<capacity unit='bytes'>`): k, KiB and KB are
 * not the same, and a size without a unit is in the element's default unit.
 */
import type { Element } from '@xmldom/xmldom';
import { attributeValue, elementText } from './childElements.js';

const FACTORS: Readonly<Record<string, number>> = {
  b: 1, bytes: 1,
  k: 1024, kib: 1024, kb: 1000,
  m: 1024 ** 2, mib: 1024 ** 2, mb: 1000 ** 2,
  g: 1024 ** 3, gib: 1024 ** 3, gb: 1000 ** 3,
  t: 1024 ** 4, tib: 1024 ** 4, tb: 1000 ** 4,
  p: 1024 ** 5, pib: 1024 ** 5, pb: 1000 ** 5,
  e: 1024 ** 6, eib: 1024 ** 6, eb: 1000 ** 6,
};

export type SizeUnit = 'bytes' | 'KiB' | 'MiB' | 'GiB' | 'TiB';

/** Bytes per unit; an unknown unit counts as bytes, as the models always did. */
export function unitFactor(unit: string | undefined, defaultUnit = 'bytes'): number {
  return FACTORS[(unit ?? defaultUnit).toLowerCase()] ?? 1;
}

/** A size element (`<memory unit='KiB'>4194304</memory>`) in bytes; 0 when missing or not a number. */
export function sizeInBytes(element: Element | undefined, defaultUnit = 'bytes'): number {
  const value = Number(elementText(element) ?? '0');
  return Number.isFinite(value) ? value * unitFactor(attributeValue(element, 'unit'), defaultUnit) : 0;
}

/** The number to write for `bytes` in `unit`; refuses sizes that are not whole units. */
export function sizeInUnit(bytes: number, unit: SizeUnit): string {
  const value = bytes / unitFactor(unit);
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${bytes} bytes is not a whole number of ${unit}`);
  return String(value);
}
