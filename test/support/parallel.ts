/**
 * Runs `work` on every item, at most `limit` at once, each item's work started in list order.
 * For tests that prove the same sequence on many independent objects (e.g. one guest per
 * name): the steps for one item stay in order, only distinct items overlap. Rejects with the
 * first failure, after every started item has settled.
 */
export async function forEachParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < items.length && errors.length === 0) {
      const item = items[next++]!;
      await work(item).catch((error: unknown) => void errors.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (errors.length > 0) throw errors[0];
  if (next < items.length) throw new Error(`forEachParallel: ${items.length - next} items not run`);
}
