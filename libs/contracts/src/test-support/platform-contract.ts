/**
 * Test-only: validates events against the platform's published contract (fn-contract, copied
 * unchanged into ../shared/contracts/fn-contract). Compiles `ai-enhancement-events.json#/PostEnhanced`
 * with every shared file and the $ref aliases its README describes, reading OpenAPI `nullable` as
 * "or null". It must never be exported from the package index nor imported by product code: it reads
 * ../shared, which production images do not have.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { formatAjvErrors, type SchemaValidationResult } from '../enrichment.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const FN_CONTRACT_FILES = [
  'events/schemas/ai-enhancement-events.json',
  'events/schemas/post-events.json',
  'shared/ai-metadata.json',
  'shared/domains.json',
  'shared/value-objects.json',
] as const;

/**
 * The relative refs in events/schemas/*.json were written for the repository layout, not for the
 * declared flat `$id`s (README "How the $ref are laid out"): these URLs must resolve to those files.
 */
const ALIASES: Record<string, string> = {
  'https://findlynow.com/shared/ai-metadata.json': 'shared/ai-metadata.json',
  'https://findlynow.com/shared/domains.json': 'shared/domains.json',
  'https://findlynow.com/post-events.json': 'events/schemas/post-events.json',
};

export const PLATFORM_POST_ENHANCED_REF = 'https://findlynow.com/schemas/ai-enhancement-events.json#/PostEnhanced';

/**
 * ../shared next to the repository root (the repo is /work/main, shared is /work/shared), unless
 * MEDIA_AI_SHARED_DIR says otherwise (CI checkouts that lay things out differently).
 */
export function sharedDir(): string {
  const fromEnv = process.env['MEDIA_AI_SHARED_DIR'];
  if (fromEnv) return path.resolve(fromEnv);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  // Walk up to the workspace root (the package.json that declares workspaces), then take its sibling.
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { workspaces?: unknown }).workspaces) {
      return path.resolve(dir, '..', 'shared');
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('workspace root not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/**
 * Rewrites OpenAPI `nullable: true` (not a draft-07 keyword) in memory: with a `type`, the type gains
 * "null" (and an enum gains null); without one (next to a $ref or allOf), the node becomes
 * `anyOf: [node, {type: null}]`. Ajv's own `nullable` refuses the second form, and ignoring the
 * keyword would reject the nulls the contract means to allow.
 */
export function normalizeNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalizeNullable);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = normalizeNullable(value);
  if (out['nullable'] !== true) return out;
  delete out['nullable'];
  const type = out['type'];
  if (typeof type === 'string') {
    out['type'] = [type, 'null'];
    if (Array.isArray(out['enum'])) out['enum'] = [...(out['enum'] as unknown[]), null];
    return out;
  }
  if (Array.isArray(type)) {
    if (!type.includes('null')) out['type'] = [...type, 'null'];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

function readContractFile(root: string, relative: string): Record<string, unknown> {
  const file = path.join(root, 'contracts', 'fn-contract', relative);
  // JSON.parse keeps the last of value-objects.json's duplicate SceneClassification keys, as the README notes.
  return normalizeNullable(JSON.parse(readFileSync(file, 'utf8'))) as Record<string, unknown>;
}

export type PlatformValidator = (value: unknown) => SchemaValidationResult;

/** Compiles the platform PostEnhanced validator; throws if the shared contract files are absent. */
export function loadPlatformPostEnhancedValidator(root: string = sharedDir()): PlatformValidator {
  // strict: false because the event definitions are top-level keys (unknown keywords in draft-07).
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const byFile = new Map<string, Record<string, unknown>>();
  for (const relative of FN_CONTRACT_FILES) {
    const schema = readContractFile(root, relative);
    byFile.set(relative, schema);
    ajv.addSchema(schema);
  }
  for (const [alias, relative] of Object.entries(ALIASES)) {
    // A copy under the alias URL as its $id: refs inside it then resolve against the alias, which for
    // the shared files means the sibling value-objects.json must also exist there (added below).
    ajv.addSchema({ ...byFile.get(relative), $id: alias });
  }
  const valueObjects = byFile.get('shared/value-objects.json');
  ajv.addSchema({ ...valueObjects, $id: 'https://findlynow.com/shared/value-objects.json' });
  const validate = ajv.getSchema(PLATFORM_POST_ENHANCED_REF);
  if (!validate) throw new Error(`platform schema ${PLATFORM_POST_ENHANCED_REF} did not compile`);
  return (value: unknown) => {
    const valid = validate(value) as boolean;
    return { valid, errors: valid ? [] : formatAjvErrors(validate.errors) };
  };
}
