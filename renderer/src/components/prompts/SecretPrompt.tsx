/**
 * A password (user@host) or a key passphrase (the key file). Masked; "Remember" only where
 * main says a keychain exists. The value lives in this form's state until sent, then the form
 * unmounts with it.
 */
import { useState } from 'react';
import type { Prompt } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { useAutofocus } from '../../hooks/useAutofocus.js';
import { answerPrompt, declinePrompt } from '../../services/promptAnswer.js';
import { CheckboxField } from '../common/FormField.js';
import { Spinner } from '../common/Spinner.js';

type SecretQuestion = Extract<Prompt, { kind: 'secret' }>;

export function SecretPrompt({ prompt, busy }: { prompt: SecretQuestion; busy: boolean }) {
  const t = useT();
  const formRef = useAutofocus<HTMLFormElement>();
  const [value, setValue] = useState('');
  const [remember, setRemember] = useState(false);
  const [reveal, setReveal] = useState(false);
  const password = prompt.secret === 'password';
  const inputId = `prompt-secret-${prompt.promptId}`;
  return (
    <form
      ref={formRef}
      className="prompt"
      autoComplete="off"
      onSubmit={(event) => {
        event.preventDefault();
        if (busy) return;
        const answer = value;
        setValue('');
        void answerPrompt(prompt.promptId, { kind: 'secret', value: answer, remember: prompt.canRemember && remember });
      }}
    >
      <p className="prompt-lead">
        {password ? t('prompt.secret.passwordLead', { host: prompt.hostLabel }) : t('prompt.secret.passphraseLead', { host: prompt.hostLabel })}
      </p>
      <label className="field-label" htmlFor={inputId}>
        {password ? t('prompt.secret.passwordFor') : t('prompt.secret.passphraseFor')} <span className="mono prompt-target">{prompt.target}</span>
      </label>
      <div className="secret-row">
        <input
          id={inputId}
          className="input"
          data-testid="prompt-secret-input"
          data-autofocus
          type={reveal ? 'text' : 'password'}
          autoComplete="new-password"
          autoCapitalize="off"
          spellCheck={false}
          value={value}
          disabled={busy}
          onChange={(event) => setValue(event.target.value)}
        />
        <button
          type="button"
          className="button secret-reveal"
          aria-pressed={reveal}
          title={reveal ? t('prompt.secret.hide') : t('prompt.secret.show')}
          onClick={() => setReveal(!reveal)}
        >
          {reveal ? t('prompt.secret.hide') : t('prompt.secret.show')}
        </button>
      </div>
      {prompt.canRemember && (
        <CheckboxField
          id={`${inputId}-remember`}
          testId="prompt-secret-remember"
          label={password ? t('prompt.secret.rememberPassword') : t('prompt.secret.rememberPassphrase')}
          hint={t('prompt.secret.rememberHint')}
          checked={remember}
          onChange={setRemember}
        />
      )}
      <div className="prompt-actions">
        <span className="prompt-actions-spacer" />
        <button type="button" className="button" data-testid="prompt-cancel" disabled={busy} onClick={() => declinePrompt(prompt)}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button button-primary" data-testid="prompt-secret-ok" disabled={busy}>
          {busy && <Spinner size="small" />}
          {t('prompt.ok')}
        </button>
      </div>
    </form>
  );
}
