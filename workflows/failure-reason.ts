/**
 * The innermost message of a failure: an activity's failure wraps the outside system's own words
 * (PowerOffice's, the ledger's, the partner's), which are what an operator can act on.
 */
export function failureReason(err: unknown): string {
  let cause: unknown = err;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return cause instanceof Error ? cause.message : String(cause);
}
