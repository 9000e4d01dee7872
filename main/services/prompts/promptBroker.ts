/**
 * Questions main must ask a person while connecting (host keys, passwords, 2FA codes). Each is
 * announced as an event, listed for windows that open later, and answered by a call. A host
 * that goes away cancels its open questions.
 */
import { randomUUID } from 'node:crypto';
import { ContractError, type Prompt, type PromptAnswer } from '../../../preload/contract.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type PromptRequest = DistributiveOmit<Prompt, 'promptId'>;

interface Open {
  prompt: Prompt;
  resolve(answer: PromptAnswer | null): void;
}

export class PromptBroker {
  private readonly open = new Map<string, Open>();

  constructor(
    private readonly onOpened: (prompt: Prompt) => void,
    private readonly onClosed: (prompt: Prompt) => void,
  ) {}

  /** Resolves with the answer, or null when the question was withdrawn. */
  ask(request: PromptRequest): Promise<PromptAnswer | null> {
    const prompt = { ...request, promptId: randomUUID() } as Prompt;
    return new Promise((resolve) => {
      this.open.set(prompt.promptId, { prompt, resolve });
      this.onOpened(prompt);
    });
  }

  list(): Prompt[] {
    return [...this.open.values()].map((entry) => entry.prompt);
  }

  answer(promptId: string, answer: PromptAnswer): void {
    const entry = this.open.get(promptId);
    if (!entry) throw new ContractError('not-found', 'This question is no longer open.');
    if (entry.prompt.kind !== answer.kind) throw new ContractError('bad-arguments', `Expected a ${entry.prompt.kind} answer.`);
    this.close(promptId, answer);
  }

  /** Withdraws every open question of a host (it disconnected or was removed). */
  withdrawFor(hostId: string): void {
    for (const [promptId, entry] of [...this.open]) {
      if (entry.prompt.hostId === hostId) this.close(promptId, null);
    }
  }

  private close(promptId: string, answer: PromptAnswer | null): void {
    const entry = this.open.get(promptId);
    if (!entry) return;
    this.open.delete(promptId);
    this.onClosed(entry.prompt);
    entry.resolve(answer);
  }
}
