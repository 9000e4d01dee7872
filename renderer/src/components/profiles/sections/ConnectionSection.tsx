/** Where the host is: a name to show, its address and SSH port, the user to log in as. */
import { useT } from '../../../i18n/useT.js';
import { FormField } from '../../common/FormField.js';
import { fieldDomId, type SectionProps } from './sectionProps.js';

export function ConnectionSection({ draft, update, error, touch }: SectionProps) {
  const t = useT();
  return (
    <section className="form-section" aria-labelledby="host-section-connection">
      <h3 className="form-section-title" id="host-section-connection">
        {t('hostForm.section.connection')}
      </h3>
      <div className="form-section-body">
        <div className="form-row">
          <FormField id={fieldDomId('address')} field="address" errorTestId="host-field-error" label={t('hostForm.address')} error={error('address')}>
            <input
              className="input"
              data-testid="host-field-address"
              data-autofocus
              placeholder={t('hostForm.addressPlaceholder')}
              value={draft.address}
              spellCheck={false}
              autoCapitalize="off"
              autoComplete="off"
              onChange={(event) => update({ address: event.target.value })}
              onBlur={() => touch('address')}
            />
          </FormField>
          <FormField id={fieldDomId('port')} field="port" errorTestId="host-field-error" label={t('hostForm.port')} error={error('port')}>
            <input
              className="input"
              data-testid="host-field-port"
              inputMode="numeric"
              value={draft.port}
              onChange={(event) => update({ port: event.target.value })}
              onBlur={() => touch('port')}
            />
          </FormField>
        </div>
        <div className="form-row form-row-even">
          <FormField id={fieldDomId('user')} field="user" errorTestId="host-field-error" label={t('hostForm.user')} error={error('user')}>
            <input
              className="input"
              data-testid="host-field-user"
              placeholder={t('hostForm.userPlaceholder')}
              value={draft.user}
              spellCheck={false}
              autoCapitalize="off"
              autoComplete="off"
              onChange={(event) => update({ user: event.target.value })}
              onBlur={() => touch('user')}
            />
          </FormField>
          <FormField
            id={fieldDomId('label')}
            field="label"
            errorTestId="host-field-error"
            label={t('hostForm.label')}
            error={error('label')}
          >
            <input
              className="input"
              data-testid="host-field-label"
              placeholder={t('hostForm.labelPlaceholder')}
              value={draft.label}
              onChange={(event) => update({ label: event.target.value })}
              onBlur={() => touch('label')}
            />
          </FormField>
        </div>
      </div>
    </section>
  );
}
