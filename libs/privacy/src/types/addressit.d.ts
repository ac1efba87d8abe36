// addressit ships no type declarations; this is the part of its result the address rules read.
declare module 'addressit' {
  interface ParsedAddress {
    text: string;
    number?: string | number;
    street?: string;
    unit?: string | number;
    regions: string[];
    postalcode?: string;
    state?: string;
    country?: string;
  }
  function addressit(input: string, options?: Record<string, unknown>): ParsedAddress;
  export default addressit;
}
