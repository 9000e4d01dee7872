/** Where the host sits in the tree (a folder, "/" for nesting) and its tags. */
import { useId } from 'react';
import { useT } from '../../../i18n/useT.js';
import { FormField } from '../../common/FormField.js';
import { TagInput } from '../TagInput.js';
import { fieldDomId, type SectionProps } from './sectionProps.js';

export function OrganizeSection({ draft, update, error, touch, folders }: SectionProps & { folders: readonly string[] }) {
  const t = useT();
  const listId = useId();
  return (
    <section className="form-section" aria-labelledby="host-section-organize">
      <h3 className="form-section-title" id="host-section-organize">
        {t('hostForm.section.organize')}
      </h3>
      <div className="form-section-body">
        <FormField id={fieldDomId('folder')} field="folder" errorTestId="host-field-error" label={t('hostForm.folder')} hint={t('hostForm.folderHint')} error={error('folder')}>
          <input
            className="input"
            data-testid="host-field-folder"
            list={listId}
            placeholder={t('hostForm.folderPlaceholder')}
            value={draft.folder}
            autoComplete="off"
            onChange={(event) => update({ folder: event.target.value })}
            onBlur={() => touch('folder')}
          />
        </FormField>
        <datalist id={listId}>
          {folders.map((folder) => (
            <option key={folder} value={folder} />
          ))}
        </datalist>
        <FormField id={fieldDomId('tags')} field="tags" errorTestId="host-field-error" label={t('hostForm.tags')} hint={t('hostForm.tagsHint')} error={error('tags')}>
          <TagInput tags={draft.tags} onChange={(tags) => update({ tags })} onBlur={() => touch('tags')} />
        </FormField>
      </div>
    </section>
  );
}
