/**
 * Sends the answer to one of main's questions. The answer goes straight from the form to
 * main; it is not kept in any store, log or error message here.
 */
import type { Prompt, PromptAnswer } from '../../../preload/contract.js';
import { toErrorInfo } from '../errors/errorInfo.js';
import { requireClient } from '../store/connectionStore.js';
import { usePromptsStore } from '../store/promptsStore.js';
import { useToastStore } from '../store/toastStore.js';

export async function answerPrompt(promptId: string, answer: PromptAnswer): Promise<void> {
  const prompts = usePromptsStore.getState();
  if (prompts.answering[promptId]) return;
  prompts.setAnswering(promptId, true);
  try {
    await requireClient().call('prompts.answer', { promptId, answer });
  } catch (error) {
    // Usually the question expired (the connection attempt gave up): say so, drop it.
    const info = toErrorInfo(error);
    useToastStore.getState().showError('prompt.answerFailed', { code: info.code, message: info.message });
  } finally {
    // prompt.closed follows from main; closing here too keeps the queue moving if it does not.
    usePromptsStore.getState().closePrompt(promptId);
  }
}

/** What Escape and Cancel mean: the safe answer — reject the key, cancel the login. */
export function declinePrompt(prompt: Prompt): void {
  switch (prompt.kind) {
    case 'host-key':
      void answerPrompt(prompt.promptId, { kind: 'host-key', decision: 'reject' });
      return;
    case 'secret':
      void answerPrompt(prompt.promptId, { kind: 'secret', value: null, remember: false });
      return;
    case 'keyboard-interactive':
      void answerPrompt(prompt.promptId, { kind: 'keyboard-interactive', answers: null });
      return;
  }
}
