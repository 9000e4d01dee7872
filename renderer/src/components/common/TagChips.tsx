/** Tags as small chips; beyond `max`, a "+N" chip (its tooltip lists the rest). */
import './tags.css';

export function TagChips({ tags, max = tags.length, className }: { tags: readonly string[]; max?: number; className?: string }) {
  const shown = tags.slice(0, max);
  const rest = tags.slice(max);
  return (
    <span className={`tag-chips${className ? ` ${className}` : ''}`} data-testid="tag-chips">
      {shown.map((tag) => (
        <span key={tag} className="tag-chip" title={tag} data-tag={tag}>
          {tag}
        </span>
      ))}
      {rest.length > 0 && (
        <span className="tag-chip tag-chip-more" title={rest.join(', ')}>
          +{rest.length}
        </span>
      )}
    </span>
  );
}
