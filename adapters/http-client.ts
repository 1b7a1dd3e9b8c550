import got, { type Got } from 'got';

/**
 * got as every adapter uses it: answers as text, never thrown for a status (the adapter decides),
 * no retries of its own (Temporal retries the activity with backoff, and a second loop here would
 * hide attempts).
 */
export function createHttpClient(timeoutMs: number, headers: Record<string, string> = {}): Got {
  return got.extend({ timeout: { request: timeoutMs }, retry: { limit: 0 }, throwHttpErrors: false, responseType: 'text', headers });
}
