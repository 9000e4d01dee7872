/**
 * The deadline of one SSH login: TCP connect, key exchange, and every answer the server owes
 * us. It is paused while VirtDeck waits for a person (a host-key question, a password, a 2FA
 * code), so only the network's time counts: someone who takes a minute to compare a
 * fingerprint must not see the host turn "unreachable" under the question.
 */
export class ConnectDeadline {
  private timer: NodeJS.Timeout | undefined;
  private remainingMs: number;
  private armedAt = 0;
  private pauses = 0;
  private finished = false;

  constructor(
    budgetMs: number,
    private readonly onExpired: () => void,
  ) {
    this.remainingMs = budgetMs;
  }

  start(): void {
    if (!this.finished && this.pauses === 0 && !this.timer) this.arm();
  }

  private arm(): void {
    this.armedAt = Date.now();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.finished = true;
      this.onExpired();
    }, Math.max(0, this.remainingMs));
  }

  private pause(): void {
    this.pauses += 1;
    if (this.pauses > 1 || !this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.remainingMs -= Date.now() - this.armedAt;
  }

  private resume(): void {
    this.pauses -= 1;
    if (this.pauses === 0 && !this.finished) this.arm();
  }

  /** Runs work that waits for a person with the clock stopped; it runs on afterwards. */
  async whilePersonAnswers<T>(work: () => Promise<T>): Promise<T> {
    this.pause();
    try {
      return await work();
    } finally {
      this.resume();
    }
  }

  /** The login finished or failed: the deadline never fires. */
  stop(): void {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  get isPaused(): boolean {
    return this.pauses > 0;
  }
}
