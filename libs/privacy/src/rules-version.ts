/**
 * The version of this library's rules: what it removes, what it recognises as a document, what it
 * extracts as an identifier. Results made by the rules are cached (the ocr stage's texts, the llm
 * stage's redacted answers) and a document type carries it as the model of its tag's evidence, so a
 * change of rules must bump it: old cached results are then not served.
 *
 * Must never be derived from anything at run time: it names the code, not the data.
 */
export const PRIVACY_RULES_VERSION = 'privacy-rules-21';
