/**
 * The bidding rules module also computes receipts with node:crypto; the console uses only its
 * UCP functions (domain.md section 4), so in the browser that import resolves here.
 */
interface Hash {
  update(data: string, encoding?: string): Hash;
  digest(encoding: string): string;
}
export function createHash(algorithm: string): Hash {
  throw new Error(`node:crypto (${algorithm}) is not available in the browser`);
}
