/**
 * The questions a connect attempt is waiting on a person for. sshd gives up on a login after
 * its LoginGraceTime (120 s by default) however long the person takes. When that happens
 * while a question is open, neither the answer nor the question may be lost or doubled: the
 * opener waits for the answer (no deadline — it is a person's time), then connects again with
 * it, so one question is asked once and answering it connects.
 */
export class PersonWaits {
  private readonly open = new Set<Promise<unknown>>();
  private attempt = 0;
  private failedAttempt = 0;
  private readonly carried = new Map<string, string[]>();

  /** A connect attempt begins. */
  begin(): void {
    this.attempt += 1;
  }

  /** The current attempt failed; whether a person is still answering one of its questions. */
  failed(): boolean {
    this.failedAttempt = this.attempt;
    return this.open.size > 0;
  }

  /** Runs a hook that may wait for a person, so a failure meanwhile can wait for its answer. */
  track<T>(work: () => Promise<T>): Promise<T> {
    const running = work();
    this.open.add(running);
    const forget = () => this.open.delete(running);
    running.then(forget, forget);
    return running;
  }

  /** Resolves once every question open now is answered or withdrawn. */
  async answered(): Promise<void> {
    await Promise.allSettled([...this.open]);
  }

  /**
   * keyboard-interactive answers typed after their login had already ended are offered, once,
   * to the next login that asks exactly the same; a server's challenge cannot be joined like a
   * host key, but its answer can be carried.
   */
  async keyboardAnswers(question: string, ask: () => Promise<string[]>): Promise<string[]> {
    const carried = this.carried.get(question);
    if (carried) {
      this.carried.delete(question);
      return carried;
    }
    const askedIn = this.attempt;
    const answers = await ask();
    if (this.failedAttempt >= askedIn) this.carried.set(question, answers);
    return answers;
  }
}
