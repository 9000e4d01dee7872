interface SpinnerProps {
  /** Spoken to screen readers; omit when the surrounding text already says it. */
  label?: string;
  size?: 'small' | 'normal';
}

export function Spinner({ label, size = 'normal' }: SpinnerProps) {
  return (
    <span
      className={`spinner spinner-${size}`}
      role={label ? 'status' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
    />
  );
}
