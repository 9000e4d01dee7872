import './capacity.css';

/** A horizontal usage bar; turns amber above 80 % and red above 95 %. */
export function CapacityBar({ percent, compact, label }: { percent: number; compact?: boolean; label?: string }) {
  const level = percent >= 95 ? 'danger' : percent >= 80 ? 'warn' : 'ok';
  return (
    <span
      className={`capacity-bar capacity-${level}${compact ? ' capacity-bar-compact' : ''}`}
      role="meter"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-label={label}
    >
      <span className="capacity-fill" style={{ width: `${percent}%` }} />
    </span>
  );
}
