/**
 * The one failure configuration loading reports: every offending variable at once, each with what
 * was given and what was expected, so an operator fixes a deployment in one round.
 * Must never include a secret's value (field parsers already word secret issues without it).
 */

export interface ConfigIssue {
  /** The environment variable at fault. */
  variable: string;
  /** `expected ..., got ...` */
  problem: string;
}

export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const lines = issues.map((issue) => `  ${issue.variable}: ${issue.problem}`);
    super(`Invalid configuration (${issues.length} ${issues.length === 1 ? 'problem' : 'problems'}):\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
