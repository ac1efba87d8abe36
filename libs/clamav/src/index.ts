// The clamd adapter: a client of its socket protocol (PING, VERSION, INSTREAM) and the photo scanner the fetcher calls.
export { ClamdClient, type ClamdAddress, type ClamdClientOptions, type ScanVerdict } from './clamd-client.js';
export { PhotoScanner, type PhotoScannerOptions, type ScannerReadiness, type ScanResult } from './photo-scanner.js';
