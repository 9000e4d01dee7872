import { StatusDot, type DotTone } from './StatusDot.js';

/** A dot and a word: "● Running". */
export function StateBadge({ tone, label }: { tone: DotTone; label: string }) {
  return (
    <span className={`state-badge state-badge-${tone}`}>
      <StatusDot tone={tone} />
      {label}
    </span>
  );
}
