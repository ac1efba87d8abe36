/**
 * The chart's values as Helm sees them: values.yaml coalesced with the -f files (maps merge key by
 * key, anything else replaces, null deletes), and the check against values.schema.json that Helm
 * runs before rendering.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { CHART_DIR } from './render-chart.js';

export type Values = Record<string, unknown>;

function isMap(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function readYaml(file: string): Values {
  return (parse(readFileSync(file, 'utf8'), { uniqueKeys: true }) as Values | null) ?? {};
}

export function coalesce(user: Values, defaults: Values): Values {
  const out: Values = { ...defaults };
  for (const [key, value] of Object.entries(user)) {
    if (value === null) delete out[key];
    else if (isMap(value) && isMap(out[key])) out[key] = coalesce(value, out[key] as Values);
    else out[key] = value;
  }
  return out;
}

export function chartDefaults(): Values {
  return readYaml(path.join(CHART_DIR, 'values.yaml'));
}

/** values.yaml with the files and inline values laid over it, in order. */
export function mergedValues(files: readonly string[] = [], inline?: Values): Values {
  let values = chartDefaults();
  for (const file of files) values = coalesce(readYaml(file), values);
  if (inline) values = coalesce(inline, values);
  return values;
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(JSON.parse(readFileSync(path.join(CHART_DIR, 'values.schema.json'), 'utf8')) as object);

/** values.schema.json's verdict: the problems, empty when the values pass. */
export function schemaProblems(values: Values): string[] {
  if (validate(values)) return [];
  return (validate.errors ?? []).map(
    (e: ErrorObject) =>
      `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
  );
}
