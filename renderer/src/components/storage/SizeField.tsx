/** A size typed as a number and a unit (MiB, GiB, TiB); gives bytes, or undefined when not a size. */
import { useT } from '../../i18n/useT.js';

export const SIZE_UNITS = { MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 } as const;
export type SizeUnit = keyof typeof SIZE_UNITS;

export function sizeBytes(text: string, unit: SizeUnit): number | undefined {
  const value = Number(text.trim().replace(',', '.'));
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) return undefined;
  return Math.round(value * SIZE_UNITS[unit]);
}

export function SizeInput({ id, value, unit, onChange, testId, disabled }: { id?: string; value: string; unit: SizeUnit; onChange(value: string, unit: SizeUnit): void; testId: string; disabled?: boolean }) {
  const t = useT();
  return (
    <span className="size-input" id={id}>
      <input className="input" inputMode="decimal" data-testid={testId} value={value} disabled={disabled} onChange={(event) => onChange(event.target.value, unit)} aria-label={t('storage.field.size')} />
      <select className="select" data-testid={`${testId}-unit`} value={unit} disabled={disabled} onChange={(event) => onChange(value, event.target.value as SizeUnit)} aria-label={t('storage.field.unit')}>
        {Object.keys(SIZE_UNITS).map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </span>
  );
}
