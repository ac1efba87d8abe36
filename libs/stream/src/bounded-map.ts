/**
 * Runs an async function over items with at most `limit` calls in flight, results in input order.
 * The runner uses it for Stage.concurrency, the fetcher to bound downloads per post. A rejection
 * rejects the whole map, so callers that want per-item failures return them as values.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
