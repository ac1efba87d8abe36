// Test-only: a real clamd with a test signature database. Exported under `./test-support` for the development condition only.
export {
  CLAMD_BINARY,
  EICAR,
  EICAR_SIGNATURE,
  PAYLOAD_SIGNATURE,
  startClamd,
  TEST_PAYLOAD,
  withSignedPayload,
  type ClamdProcess,
} from './clamd-process.js';
