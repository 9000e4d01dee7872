/** Which libvirt to manage on the host (a preset or a custom URI), and whether through sudo -n. */
import { LIBVIRT_URI_PRESETS } from '../../../../../preload/contract.js';
import { CUSTOM_URI } from '../../../profiles/hostDraft.js';
import { useT } from '../../../i18n/useT.js';
import { CheckboxField, FormField } from '../../common/FormField.js';
import { fieldDomId, type SectionProps } from './sectionProps.js';

export function LibvirtSection({ draft, update, error, touch }: SectionProps) {
  const t = useT();
  const custom = draft.uriChoice === CUSTOM_URI;
  return (
    <section className="form-section" aria-labelledby="host-section-libvirt">
      <h3 className="form-section-title" id="host-section-libvirt">
        {t('hostForm.section.libvirt')}
      </h3>
      <div className="form-section-body">
        <FormField
          id={fieldDomId('uri')}
          field="uri"
          errorTestId="host-field-error"
          label={t('hostForm.uri')}
          hint={custom ? t('hostForm.uriCustomHint') : t('hostForm.uriHint')}
          error={custom ? undefined : error('uri')}
        >
          <select
            className="select-input mono-select"
            data-testid="host-field-uri"
            value={draft.uriChoice}
            onChange={(event) => update({ uriChoice: event.target.value })}
          >
            {LIBVIRT_URI_PRESETS.map((uri) => (
              <option key={uri} value={uri}>
                {uri}
              </option>
            ))}
            <option value={CUSTOM_URI}>{t('hostForm.uriCustom')}</option>
          </select>
        </FormField>
        {custom && (
          <FormField
            id={`${fieldDomId('uri')}-custom`}
            field="uri"
            errorTestId="host-field-error"
            label={t('hostForm.uriCustomLabel')}
            error={error('uri')}
          >
            <input
              className="input mono"
              data-testid="host-field-uri-custom"
              placeholder="qemu:///system"
              value={draft.uriCustom}
              spellCheck={false}
              autoComplete="off"
              autoFocus
              onChange={(event) => update({ uriCustom: event.target.value })}
              onBlur={() => touch('uri')}
            />
          </FormField>
        )}
        <CheckboxField
          id="host-field-sudo"
          testId="host-field-sudo"
          label={t('hostForm.sudo')}
          hint={t('hostForm.sudoHint')}
          checked={draft.sudo}
          onChange={(sudo) => update({ sudo })}
        />
      </div>
    </section>
  );
}
