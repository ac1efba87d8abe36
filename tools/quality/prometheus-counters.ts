/**
 * Reads counters off a service's Prometheus text exposition (GET /metrics): the sum of a counter's
 * samples over every label set. For the stage bench, which asks each stage process what it handled.
 * It never interprets histograms or gauges, and never throws on a line it does not know.
 */

/** The sum of every sample of `name` (any labels) in the exposition; 0 when it has none. */
export function counterTotal(exposition: string, name: string): number {
  let total = 0;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(name)) continue;
    const next = line.charAt(name.length);
    // `name 3` or `name{stage="ocr"} 3`; never `name_created` or another metric sharing the prefix.
    if (next !== ' ' && next !== '{') continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) total += value;
  }
  return total;
}

/** GET <origin>/metrics; rejects when the service does not answer 200. */
export async function scrapeMetrics(origin: string): Promise<string> {
  const response = await fetch(`${origin}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${origin}/metrics answered ${response.status}`);
  return response.text();
}
