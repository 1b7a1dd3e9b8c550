import { ApplicationFailure } from '@temporalio/activity';
import { ApplicationFailureCategory, TemporalFailure } from '@temporalio/common';
import { ExternalServiceError } from '../adapters/external-service-error';

/**
 * Runs an outside call and turns its refusal into a Temporal failure: permanent refusals stop
 * the retries at once (the operator sees the message in the Web UI), temporary ones back off.
 */
export async function callOutside<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof ExternalServiceError)) throw err;
    throw ApplicationFailure.create({
      message: err.message,
      type: err.retryable ? 'ExternalServiceUnavailable' : 'ExternalServiceRefused',
      nonRetryable: !err.retryable,
      details: [{ service: err.service, httpStatus: err.httpStatus ?? null }],
      ...(err.retryAfterMs !== undefined ? { nextRetryDelay: err.retryAfterMs } : {}),
      ...(err.benign ? { category: ApplicationFailureCategory.BENIGN } : {}),
    });
  }
}

/** Failure type of an error in our own handling of one invoice that would happen again on every retry. */
export const DETERMINISTIC_FAILURE = 'InvoiceProcessingFailed';

/** Node's and undici's codes for a network that did not answer: worth another try. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);
/** got's and the Temporal client's errors for a call that got no answer (or a deadline). */
const TRANSIENT_NAMES = new Set(['RequestError', 'TimeoutError', 'ReadError', 'MaxRedirectsError', 'ServiceError', 'GrpcError', 'ConnectionError', 'TransportError', 'AbortError']);

/**
 * Errors that may go away if tried again: an outside system that did not answer, throttled or
 * answered 5xx (already an ApplicationFailure from callOutside), a dropped connection, a timeout.
 * Everything else (a RangeError, a TypeError, a parse error of the client's document) would fail
 * the same way on every retry.
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof ExternalServiceError) return err.retryable;
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR_'))) return true;
  return TRANSIENT_NAMES.has(err.name);
}

/**
 * Errors raised when the client's own document is refused (not well-formed, invalid UTF-8, over a
 * documented limit): the invoice is Rejected with the reason, and the client can fix it. Recognised
 * by class name, or by the official rule id the document breaks (domain/ehf's errors carry one).
 */
const DOCUMENT_REFUSAL_NAMES = /^(UblParseError|ClientDocumentRefused|\w*(Limit|TooLarge|Refused|Refusal|Utf8|Encoding)\w*Error)$/;

export function documentRefusal(err: unknown): string | undefined {
  if (!(err instanceof Error) || err instanceof TemporalFailure) return undefined;
  const ruleId = (err as { ruleId?: unknown }).ruleId;
  if (DOCUMENT_REFUSAL_NAMES.test(err.name) || typeof ruleId === 'string') return err.message;
  return undefined;
}

/**
 * What to throw for an error met while handling one invoice: a Temporal failure stays as it is (it
 * was classified where it arose), a transient one is retried, anything else becomes non-retryable
 * with the error's own words, so the invoice ends Failed with a reason instead of being retried
 * for a day while its batch waits.
 */
export function classifiedFailure(err: unknown, doing: string): unknown {
  if (err instanceof TemporalFailure) return err;
  if (err instanceof ExternalServiceError) {
    return ApplicationFailure.create({ message: err.message, type: err.retryable ? 'ExternalServiceUnavailable' : 'ExternalServiceRefused', nonRetryable: !err.retryable });
  }
  const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  if (isTransient(err)) return ApplicationFailure.create({ message: `${doing}: ${what}`, type: 'TransientFailure', nonRetryable: false });
  return ApplicationFailure.create({ message: `${doing} failed and is not retried (it would fail the same way again): ${what}`, type: DETERMINISTIC_FAILURE, nonRetryable: true });
}
