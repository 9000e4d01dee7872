/** A duration as its largest unit and the next one, in the reader's language ("3 days, 4 hr"). */
const UNITS = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
] as const;

export function formatDuration(seconds: number, locale: string): string {
  const total = Math.max(0, Math.floor(seconds));
  const unitText = (amount: number, unit: string): string => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(amount);
  const first = UNITS.findIndex(([, size]) => total >= size);
  if (first < 0) return unitText(0, 'second');
  const [unit, size] = UNITS[first]!;
  const parts = [unitText(Math.floor(total / size), unit)];
  const next = UNITS[first + 1];
  if (next) {
    const amount = Math.floor((total % size) / next[1]);
    if (amount > 0) parts.push(unitText(amount, next[0]));
  }
  return parts.join(' ');
}
