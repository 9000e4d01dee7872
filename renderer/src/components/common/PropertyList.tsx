/** A two-column list of facts ("Memory  2 GiB"), as a description list. */
import type { ReactNode } from 'react';
import './details.css';

export interface Property {
  label: string;
  value: ReactNode;
  /** Monospace, selectable as a whole (UUIDs, paths, URIs). */
  mono?: boolean;
}

export function PropertyList({ items }: { items: readonly Property[] }) {
  return (
    <dl className="property-list">
      {items.map((item) => (
        <div className="property" key={item.label}>
          <dt>{item.label}</dt>
          <dd className={item.mono ? 'mono selectable' : undefined}>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
