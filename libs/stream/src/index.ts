// Stage contract, stream runner and transports.
export type * from './transport.js';
export type * from './stage.js';
