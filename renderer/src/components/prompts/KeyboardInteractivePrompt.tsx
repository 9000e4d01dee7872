/**
 * keyboard-interactive login (one-time codes, "Verification code:"): the server's name and
 * instructions, then one field per question, masked unless the server says it may echo.
 */
import { useState } from 'react';
import type { Prompt } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { useAutofocus } from '../../hooks/useAutofocus.js';
import { answerPrompt, declinePrompt } from '../../services/promptAnswer.js';
import { Spinner } from '../common/Spinner.js';

type KeyboardQuestion = Extract<Prompt, { kind: 'keyboard-interactive' }>;

export function KeyboardInteractivePrompt({ prompt, busy }: { prompt: KeyboardQuestion; busy: boolean }) {
  const t = useT();
  const formRef = useAutofocus<HTMLFormElement>();
  const [answers, setAnswers] = useState<string[]>(() => prompt.prompts.map(() => ''));
  const idOf = (index: number): string => `prompt-kbd-${prompt.promptId}-${index}`;
  return (
    <form
      ref={formRef}
      className="prompt"
      autoComplete="off"
      onSubmit={(event) => {
        event.preventDefault();
        if (busy) return;
        const sent = answers;
        setAnswers(prompt.prompts.map(() => ''));
        void answerPrompt(prompt.promptId, { kind: 'keyboard-interactive', answers: sent });
      }}
    >
      <p className="prompt-lead">{t('prompt.kbd.lead', { host: prompt.hostLabel })}</p>
      {prompt.name.trim() !== '' && <p className="prompt-server-name">{prompt.name}</p>}
      {prompt.instructions.trim() !== '' && <p className="prompt-instructions">{prompt.instructions}</p>}
      {prompt.prompts.length === 0 && <p className="prompt-explain">{t('prompt.kbd.nothingAsked')}</p>}
      {prompt.prompts.map((question, index) => (
        <div className="field" key={index}>
          <label className="field-label prompt-question" htmlFor={idOf(index)}>
            {question.prompt.trim() || t('prompt.kbd.answer')}
          </label>
          <input
            id={idOf(index)}
            className="input"
            data-testid="prompt-kbd-input"
            data-autofocus={index === 0 ? true : undefined}
            type={question.echo ? 'text' : 'password'}
            autoComplete={question.echo ? 'off' : 'new-password'}
            autoCapitalize="off"
            spellCheck={false}
            value={answers[index] ?? ''}
            disabled={busy}
            onChange={(event) => {
              const next = [...answers];
              next[index] = event.target.value;
              setAnswers(next);
            }}
          />
        </div>
      ))}
      <div className="prompt-actions">
        <span className="prompt-actions-spacer" />
        <button type="button" className="button" data-testid="prompt-cancel" disabled={busy} onClick={() => declinePrompt(prompt)}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button button-primary" data-testid="prompt-kbd-ok" disabled={busy}>
          {busy && <Spinner size="small" />}
          {t('prompt.ok')}
        </button>
      </div>
    </form>
  );
}
