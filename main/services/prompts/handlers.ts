/** `prompts.*`: the questions main is waiting on a person for. */
import type { promptCalls } from '../../../preload/contract.js';
import type { HandlersOf } from '../../core/registry.js';
import type { PromptBroker } from './promptBroker.js';

export function promptHandlers(prompts: PromptBroker): HandlersOf<typeof promptCalls> {
  return {
    'prompts.list': async () => prompts.list(),
    'prompts.answer': async ({ promptId, answer }) => {
      prompts.answer(promptId, answer);
      return null;
    },
  };
}
