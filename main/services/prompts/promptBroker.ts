/**
 * Questions main must ask a person while connecting (host keys, passwords, 2FA codes). Each is
 * announced as an event, listed for windows that open later, and answered by a call. A host
 * that goes away cancels its open questions.
 *
 * A host has at most one open question of a kind. The same question asked again — a retry
 * of the connection while the person is still reading the first — joins the open one (one
 * dialog, one answer for both); a different one of that kind supersedes it, and the old one is
 * withdrawn in every window.
 */
import { randomUUID } from 'node:crypto';
import { ContractError, type Prompt, type PromptAnswer } from '../../../preload/contract.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type PromptRequest = DistributiveOmit<Prompt, 'promptId'>;

interface Open {
  prompt: Prompt;
  /** What the question asks, without its id and label: equal for a repeated question. */
  identity: string;
  answer: Promise<PromptAnswer | null>;
  resolve(answer: PromptAnswer | null): void;
}

function identityOf(request: PromptRequest): string {
  const { hostLabel: _label, ...asked } = request;
  return JSON.stringify(asked);
}

export class PromptBroker {
  private readonly open = new Map<string, Open>();

  constructor(
    private readonly onOpened: (prompt: Prompt) => void,
    private readonly onClosed: (prompt: Prompt) => void,
    /** The same question was asked again and joined the open one (the host waits on it again). */
    private readonly onJoined: (prompt: Prompt) => void = () => undefined,
  ) {}

  /** Resolves with the answer, or null when the question was withdrawn. */
  ask(request: PromptRequest): Promise<PromptAnswer | null> {
    const identity = identityOf(request);
    const sameKind = [...this.open.values()].find((entry) => entry.prompt.hostId === request.hostId && entry.prompt.kind === request.kind);
    if (sameKind?.identity === identity) {
      this.onJoined(sameKind.prompt);
      return sameKind.answer;
    }
    if (sameKind) this.close(sameKind.prompt.promptId, null);
    const prompt = { ...request, promptId: randomUUID() } as Prompt;
    let resolve!: (answer: PromptAnswer | null) => void;
    const answer = new Promise<PromptAnswer | null>((done) => (resolve = done));
    this.open.set(prompt.promptId, { prompt, identity, answer, resolve });
    this.onOpened(prompt);
    return answer;
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
