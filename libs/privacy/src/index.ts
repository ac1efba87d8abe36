// Personal-data redaction for every text that leaves the service, document types from text, identifier extraction and keyed hashing.
export { redactPersonalData, redactFreeText, warmUpRedaction, type RedactionOptions, type PersonalDataRedaction } from './redact.js';
export { recogniseDocument, RECOGNITION_THRESHOLD, type RecognisedDocument } from './recognise-document.js';
export {
  DOCUMENT_TYPES,
  REDACTION_POLICIES,
  NO_DOCUMENT_POLICY,
  EVIDENCE,
  type DocumentType,
  type RedactionPolicy,
  type EvidencePhrase,
} from './document-types.js';
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
export { luhnValid, ibanValid } from './detectors/payment.js';
export { PRIVACY_RULES_VERSION } from './rules-version.js';
export { readUpsideDown, type PositionedReading, type PositionedLine } from './reading-order.js';
export { hasPrintedPortrait, type PortraitEvidence, type RelativeBox } from './portrait.js';
