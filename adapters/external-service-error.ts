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
    /** An expected end of an attempt that the next one completes (a token obtained first): logged quietly. */
    readonly benign = false,
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

/**
 * One refused HTTP answer from an outside system, classified the same way for every adapter:
 * 408/429/5xx may succeed later (429 waits Retry-After, at least a second); any other status will not.
 */
export function httpRefusal(
  service: ExternalServiceError['service'],
  what: string,
  response: { statusCode: number; headers: Record<string, string | string[] | undefined> },
  reason: string,
): ExternalServiceError {
  const status = response.statusCode;
  const retryable = isRetryableStatus(status);
  const waitMs = retryable ? retryAfterMs(response.headers['retry-after']) : undefined;
  return new ExternalServiceError(service, `${what} answered HTTP ${status}: ${reason}`, retryable, status, waitMs ?? (status === 429 ? 1000 : undefined));
}
