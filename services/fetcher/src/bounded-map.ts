/**
 * Maps items through an async function with at most `limit` calls in flight, keeping input order in
 * the results. Used so one post with ten photos never opens ten downloads against one origin.
 * Rejects as soon as the mapper does, so callers that want per-item failures capture them in the mapper.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, mapper: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await mapper(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
