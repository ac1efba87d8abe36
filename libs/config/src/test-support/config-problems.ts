/**
 * Test-only: the problems a configuration is refused with, one `VARIABLE: problem` line each, so
 * tests compare what an operator would read. Fails the test when the configuration is accepted.
 */
import { expect } from 'vitest';
import { ConfigError } from '../config-error.js';

export function configProblems(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => `${i.variable}: ${i.problem}`);
  }
  throw new Error('expected a ConfigError');
}
