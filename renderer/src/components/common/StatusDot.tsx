/** A small coloured dot; the tone names what it means, the CSS decides the colour. */
export type DotTone = 'ok' | 'warn' | 'idle' | 'danger' | 'busy';

interface StatusDotProps {
  tone: DotTone;
  title?: string;
}

export function StatusDot({ tone, title }: StatusDotProps) {
  return <span className={`status-dot status-dot-${tone}`} title={title} aria-hidden={title ? undefined : true} />;
}
