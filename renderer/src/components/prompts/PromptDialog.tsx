/**
 * Questions main asks while connecting, one at a time in a modal (oldest first, "1 of 3"
 * when several wait). The dialog stays mounted while the queue is not empty; each question's
 * form is keyed by its id, so nothing typed for one question survives into the next.
 */
import type { Prompt } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import type { Translator } from '../../i18n/translate.js';
import { declinePrompt } from '../../services/promptAnswer.js';
import { usePromptsStore } from '../../store/promptsStore.js';
import { Dialog } from '../dialogs/Dialog.js';
import { HostKeyPrompt } from './HostKeyPrompt.js';
import { KeyboardInteractivePrompt } from './KeyboardInteractivePrompt.js';
import { SecretPrompt } from './SecretPrompt.js';
import './prompts.css';

function titleOf(prompt: Prompt, t: Translator): string {
  switch (prompt.kind) {
    case 'host-key':
      return t('prompt.hostKey.title');
    case 'secret':
      return prompt.secret === 'password' ? t('prompt.secret.passwordTitle') : t('prompt.secret.passphraseTitle');
    case 'keyboard-interactive':
      return t('prompt.kbd.title');
  }
}

export function PromptDialog() {
  const t = useT();
  const queue = usePromptsStore((state) => state.queue);
  const prompt = queue[0];
  const busy = usePromptsStore((state) => (prompt ? state.answering[prompt.promptId] === true : false));
  if (!prompt) return null;
  return (
    <Dialog
      title={titleOf(prompt, t)}
      onClose={() => {
        if (!busy) declinePrompt(prompt);
      }}
      size="medium"
      testId="prompt-dialog"
      data={{ 'data-kind': prompt.kind, 'data-prompt-id': prompt.promptId, 'data-host-id': prompt.hostId }}
      dismissOnBackdrop={false}
      closable={false}
      headerExtra={
        queue.length > 1 ? (
          <span className="dialog-counter" data-testid="prompt-counter">
            {t('prompt.counter', { index: 1, total: queue.length })}
          </span>
        ) : undefined
      }
    >
      {prompt.kind === 'host-key' && <HostKeyPrompt key={prompt.promptId} prompt={prompt} busy={busy} />}
      {prompt.kind === 'secret' && <SecretPrompt key={prompt.promptId} prompt={prompt} busy={busy} />}
      {prompt.kind === 'keyboard-interactive' && <KeyboardInteractivePrompt key={prompt.promptId} prompt={prompt} busy={busy} />}
    </Dialog>
  );
}
