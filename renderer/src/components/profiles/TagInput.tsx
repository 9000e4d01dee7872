/**
 * Tags as chips with a text box after them: Enter or a comma adds what was typed, Backspace
 * in the empty box removes the last chip, × removes one. Typed text is added on blur too, so
 * nothing typed is lost when the dialog saves.
 */
import { useState, type KeyboardEvent } from 'react';
import { useT } from '../../i18n/useT.js';
import { addTag } from '../../profiles/hostDraft.js';
import { Icon } from '../common/Icon.js';
import '../common/tags.css';

interface TagInputProps {
  tags: readonly string[];
  onChange(tags: string[]): void;
  onBlur?(): void;
  id?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}

export function TagInput({ tags, onChange, onBlur, id, ...aria }: TagInputProps) {
  const t = useT();
  const [text, setText] = useState('');
  const commit = (): void => {
    if (text.trim() === '') return;
    onChange(addTag(tags, text));
    setText('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter' || event.key === ',') {
      if (text.trim() === '' && event.key === 'Enter') return;
      event.preventDefault();
      commit();
    } else if (event.key === 'Backspace' && text === '' && tags.length > 0) {
      event.preventDefault();
      onChange(tags.slice(0, -1));
    }
  };
  return (
    <div className={`tag-input${aria['aria-invalid'] ? ' tag-input-invalid' : ''}`} onClick={(event) => event.currentTarget.querySelector('input')?.focus()}>
      {tags.map((tag) => (
        <span key={tag} className="tag-chip tag-chip-removable" data-tag={tag}>
          <span className="tag-chip-text">{tag}</span>
          <button
            type="button"
            className="tag-chip-remove"
            aria-label={t('hostForm.tagRemove', { tag })}
            title={t('hostForm.tagRemove', { tag })}
            onClick={() => onChange(tags.filter((existing) => existing !== tag))}
          >
            <Icon name="close" size={10} />
          </button>
        </span>
      ))}
      <input
        id={id}
        className="tag-input-text"
        data-testid="host-field-tags"
        value={text}
        placeholder={tags.length === 0 ? t('hostForm.tagsPlaceholder') : ''}
        autoComplete="off"
        {...aria}
        onChange={(event) => {
          const value = event.target.value;
          // A pasted "a, b, c" becomes three tags at once.
          if (value.includes(',')) {
            let next = [...tags];
            const parts = value.split(',');
            const rest = parts.pop() ?? '';
            for (const part of parts) next = addTag(next, part);
            onChange(next);
            setText(rest);
          } else {
            setText(value);
          }
        }}
        onKeyDown={onKeyDown}
        onBlur={() => {
          commit();
          onBlur?.();
        }}
      />
    </div>
  );
}
