/**
 * Questions main is waiting on (host keys, passwords, codes), oldest first. Only the
 * questions are kept here; answers live in the prompt's form until sent, and nowhere after.
 */
import { create } from 'zustand';
import type { Prompt } from '../../../preload/contract.js';

interface PromptsState {
  queue: Prompt[];
  /** Prompts whose answer is being sent. */
  answering: Record<string, true>;
  setPrompts(prompts: Prompt[]): void;
  openPrompt(prompt: Prompt): void;
  closePrompt(promptId: string): void;
  setAnswering(promptId: string, busy: boolean): void;
}

export const usePromptsStore = create<PromptsState>()((set) => ({
  queue: [],
  answering: {},
  setPrompts: (prompts) => set({ queue: [...prompts] }),
  openPrompt: (prompt) =>
    set((state) =>
      state.queue.some((existing) => existing.promptId === prompt.promptId)
        ? {}
        : { queue: [...state.queue, prompt] },
    ),
  closePrompt: (promptId) =>
    set((state) => {
      const { [promptId]: _gone, ...answering } = state.answering;
      return { queue: state.queue.filter((prompt) => prompt.promptId !== promptId), answering };
    }),
  setAnswering: (promptId, busy) =>
    set((state) => {
      const { [promptId]: _gone, ...rest } = state.answering;
      return { answering: busy ? { ...rest, [promptId]: true } : rest };
    }),
}));
