/**
 * What an adapter throws when an outside system says no. Activities turn it into a Temporal
 * failure: `retryable` decides whether Temporal tries again; `message` is what an operator reads.
 */
export class ExternalServiceError extends Error {
  constructor(
    readonly service: 'PowerOffice GO' | 'distribution partner' | 'Factoring Finans ledger' | 'PEPPOL Directory',
    message: string,
    readonly retryable: boolean,
    readonly httpStatus?: number,
    readonly retryAfterMs?: number,
  ) {
    super(`${service}: ${message}`);
    this.name = 'ExternalServiceError';
  }
}

/** 408, 429 and 5xx are worth another try; any other 4xx will fail the same way again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(1000, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(1000, at - Date.now());
}
