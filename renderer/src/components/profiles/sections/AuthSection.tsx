/**
 * How to log in: ssh-agent, a key file (its passphrase is asked when needed), a password, or
 * keyboard-interactive (one-time codes). "Remember" uses the system keychain, which only the
 * desktop app has; in web mode it is off and says why.
 */
import type { AuthMethod } from '../../../../../preload/contract.js';
import type { MessageKey } from '../../../i18n/translate.js';
import { useT } from '../../../i18n/useT.js';
import { CheckboxField, FormField } from '../../common/FormField.js';
import { fieldDomId, type SectionProps } from './sectionProps.js';

const methods: readonly AuthMethod[] = ['agent', 'key', 'password', 'keyboard-interactive'];

const methodHint: Record<AuthMethod, MessageKey> = {
  agent: 'hostForm.authHint.agent',
  key: 'hostForm.authHint.key',
  password: 'hostForm.authHint.password',
  'keyboard-interactive': 'hostForm.authHint.keyboard-interactive',
};

export function AuthSection({ draft, update, error, touch, desktop }: SectionProps & { desktop: boolean }) {
  const t = useT();
  const rememberable = draft.auth === 'password' || draft.auth === 'key';
  const rememberHint = !desktop
    ? t('hostForm.rememberWebMode')
    : !rememberable
      ? t('hostForm.rememberNotApplicable')
      : t('hostForm.rememberHint');
  return (
    <section className="form-section" aria-labelledby="host-section-auth">
      <h3 className="form-section-title" id="host-section-auth">
        {t('hostForm.section.auth')}
      </h3>
      <div className="form-section-body">
        <FormField
          id={fieldDomId('auth')}
          field="auth"
          errorTestId="host-field-error"
          label={t('hostForm.auth')}
          hint={t(methodHint[draft.auth])}
          error={error('auth')}
        >
          <select className="select-input" data-testid="host-field-auth" value={draft.auth} onChange={(event) => update({ auth: event.target.value as AuthMethod })}>
            {methods.map((method) => (
              <option key={method} value={method}>
                {t(`authMethod.${method}`)}
              </option>
            ))}
          </select>
        </FormField>
        {draft.auth === 'key' && (
          <FormField
            id={fieldDomId('keyfile')}
            field="keyfile"
            errorTestId="host-field-error"
            label={t('hostForm.keyFile')}
            hint={t('hostForm.keyFileHint')}
            error={error('keyfile')}
          >
            <input
              className="input mono"
              data-testid="host-field-keyfile"
              placeholder="~/.ssh/id_ed25519"
              value={draft.keyFile}
              spellCheck={false}
              autoComplete="off"
              onChange={(event) => update({ keyFile: event.target.value })}
              onBlur={() => touch('keyfile')}
            />
          </FormField>
        )}
        <CheckboxField
          id="host-field-remember"
          testId="host-field-remember"
          label={draft.auth === 'key' ? t('hostForm.rememberPassphrase') : t('hostForm.rememberPassword')}
          hint={rememberHint}
          checked={desktop && rememberable && draft.rememberSecret}
          disabled={!desktop || !rememberable}
          onChange={(rememberSecret) => update({ rememberSecret })}
        />
      </div>
    </section>
  );
}
