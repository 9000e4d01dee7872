import { Fragment } from 'react';

/** Alternative key combinations: "Ctrl+W", "F5 or Ctrl+R". */
export function KeyList({ keys, or }: { keys: readonly string[]; or: string }) {
  return (
    <span className="key-list">
      {keys.map((key, index) => (
        <Fragment key={`${key}-${index}`}>
          {index > 0 && <span className="key-or">{or}</span>}
          <kbd>{key}</kbd>
        </Fragment>
      ))}
    </span>
  );
}
