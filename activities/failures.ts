import { ApplicationFailure } from '@temporalio/activity';
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
    });
  }
}
