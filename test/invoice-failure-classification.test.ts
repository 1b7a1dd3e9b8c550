import { ApplicationFailure } from '@temporalio/common';
import { ExternalServiceError } from '../adapters/external-service-error';
import { classifiedFailure, documentRefusal, isTransient } from '../activities/failures';
import { ClientDocumentRefused } from '../domain/ehf/client-document';
import { UblParseError } from '../domain/ehf/xml-reader';

/**
 * Which errors met while handling one invoice are tried again: only those that may go away. The
 * rest end the invoice at once with a reason, so a batch never waits a day for one bad document.
 */
const doing = 'Assessing invoice 20002 of client c1';

function failureOf(err: unknown): ApplicationFailure {
  const failure = classifiedFailure(err, doing);
  if (!(failure instanceof ApplicationFailure)) throw new Error('not an ApplicationFailure');
  return failure;
}

describe('classifying a failure of one invoice', () => {
  test('a RangeError from our own code is not retried, and says what happened', () => {
    const failure = failureOf(new RangeError('Maximum call stack size exceeded'));
    expect(failure).toMatchObject({ nonRetryable: true, type: 'InvoiceProcessingFailed' });
    expect(failure.message).toBe(`${doing} failed and is not retried (it would fail the same way again): RangeError: Maximum call stack size exceeded`);
  });

  test('a TypeError (a bug) is not retried either', () => {
    expect(failureOf(new TypeError("Cannot read properties of undefined (reading 'x')")).nonRetryable).toBe(true);
  });

  test('a dropped connection, a timeout and a 503 are retried', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4010'), { code: 'ECONNREFUSED' });
    const timeout = Object.assign(new Error('Timeout awaiting request'), { name: 'TimeoutError' });
    for (const err of [refused, timeout, new ExternalServiceError('PowerOffice GO', 'HTTP 503', true, 503)]) {
      expect(isTransient(err)).toBe(true);
      expect(failureOf(err).nonRetryable).toBe(false);
    }
  });

  test('a permanent refusal of an outside system is not retried', () => {
    expect(failureOf(new ExternalServiceError('PowerOffice GO', 'HTTP 404', false, 404)).nonRetryable).toBe(true);
  });

  test('a failure already classified where it arose is kept as it is', () => {
    const original = ApplicationFailure.create({ message: 'throttled', type: 'ExternalServiceUnavailable', nonRetryable: false });
    expect(classifiedFailure(original, doing)).toBe(original);
  });

  test("a refusal of the client's document is recognised (it rejects the invoice with the reason)", () => {
    expect(documentRefusal(new UblParseError('XML', 'not well-formed XML', '/'))).toBe('XML: not well-formed XML (/)');
    expect(documentRefusal(new ClientDocumentRefused('depth', "The client's EHF nests elements too deep"))).toBe("The client's EHF nests elements too deep");
    expect(documentRefusal(new RangeError('Maximum call stack size exceeded'))).toBeUndefined();
  });
});
