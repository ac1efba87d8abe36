/**
 * A bounded memo for pure lookups keyed by a string (a line, a word): the redactor asks the same
 * questions of the same line several times (labels of this line, of the line above, as context).
 * Cleared whole when full, so memory stays bounded whatever the input. Pure in effect.
 */
export function memo<T>(fn: (key: string) => T, size = 4096): (key: string) => T {
  const cache = new Map<string, T>();
  return (key: string): T => {
    const hit = cache.get(key);
    if (hit !== undefined || cache.has(key)) return hit as T;
    if (cache.size >= size) cache.clear();
    const value = fn(key);
    cache.set(key, value);
    return value;
  };
}
