/**
 * At most `limit` pieces of work at a time; the rest wait their turn in order. Used for the
 * background XML reads of many hosts, which would otherwise all parse at once.
 */
export type WorkLimiter = <T>(work: () => Promise<T>) => Promise<T>;

export function createWorkLimiter(limit: number): WorkLimiter {
  let running = 0;
  const waiting: (() => void)[] = [];
  const next = (): void => {
    if (running >= limit) return;
    const start = waiting.shift();
    if (start) {
      running += 1;
      start();
    }
  };
  return <T>(work: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      waiting.push(() => {
        work()
          .then(resolve, reject)
          .finally(() => {
            running -= 1;
            next();
          });
      });
      next();
    });
}
