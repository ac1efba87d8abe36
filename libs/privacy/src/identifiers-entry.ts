// `@media-ai/privacy/identifiers`: identifiers for matching without exposure (extraction from a
// post's text, masking, normalisation, keyed hashing) and the one token style, without the
// redactor's libraries. The fetcher and fusion need only these; the package's main entry would load
// compromise, chrono-node and libphonenumber-js too (seconds and tens of MiB at start-up, see
// tools/privacy-import-cost.ts).
export {
  extractIdentifiers,
  maskIdentifiers,
  maskIdentifierValues,
  normaliseIdentifier,
  IDENTIFIER_KINDS,
  type Identifier,
  type IdentifierKind,
} from './identifiers.js';
export { hashIdentifier, identifierKeyId, MIN_IDENTIFIER_KEY_BYTES, type HashedIdentifier } from './hash-identifier.js';
export { PLACEHOLDERS, PLACEHOLDER_PATTERN, isOnlyPlaceholders, type RedactedKind } from './placeholders.js';
export { PRIVACY_RULES_VERSION } from './rules-version.js';
