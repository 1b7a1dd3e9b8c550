import { ExternalServiceError } from '../external-service-error';

export interface AccessToken {
  value: string;
  /** Lifetime PowerOffice gave (`expires_in`), in ms. */
  lifetimeMs: number;
}

/**
 * One token per client key, reused until shortly before it expires (PowerOffice asks for renewal
 * before expiry rather than after a 401). Concurrent callers share a single token request.
 */
export class TokenCache {
  private readonly tokens = new Map<string, { value: string; renewAt: number }>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(cacheKey: string, fetchToken: () => Promise<AccessToken>): Promise<string> {
    const cached = this.tokens.get(cacheKey);
    if (cached && this.now() < cached.renewAt) return cached.value;
    let pending = this.inFlight.get(cacheKey);
    if (!pending) {
      pending = this.fetchAndStore(cacheKey, fetchToken).finally(() => this.inFlight.delete(cacheKey));
      this.inFlight.set(cacheKey, pending);
    }
    return pending;
  }

  /** The cached token while it is still good, without asking for a new one. */
  peek(cacheKey: string): string | undefined {
    const cached = this.tokens.get(cacheKey);
    return cached && this.now() < cached.renewAt ? cached.value : undefined;
  }

  /** After a 401: the token was revoked or expired early. */
  forget(cacheKey: string): void {
    this.tokens.delete(cacheKey);
  }

  private async fetchAndStore(cacheKey: string, fetchToken: () => Promise<AccessToken>): Promise<string> {
    const obtainedAt = this.now();
    const token = await fetchToken();
    if (token.lifetimeMs <= 0) throw new ExternalServiceError('PowerOffice GO', 'the token endpoint gave a token that has already expired', true);
    // Renew with a tenth of the lifetime (at most a minute) to spare.
    const margin = Math.min(60_000, token.lifetimeMs / 10);
    this.tokens.set(cacheKey, { value: token.value, renewAt: obtainedAt + token.lifetimeMs - margin });
    return token.value;
  }
}
