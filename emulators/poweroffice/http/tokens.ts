import { createHmac, randomBytes, randomUUID } from 'node:crypto';

/**
 * OAuth 2.0 client-credentials tokens for one API (v1 and v2 keep separate stores: a v1 token is
 * no good on v2). Tokens are JWT-shaped like PowerOffice's (v1 reference §1: the v1 token carries
 * the claim `goInvalidPrivileges`), but the emulator only ever looks them up, it never trusts them.
 */
export interface Session {
  clientId: string;
  clientKey: string;
  applicationKey: string;
  expiresAt: number;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export class TokenStore {
  private readonly sessions = new Map<string, Session>();
  private readonly secret = randomBytes(32);
  /** Tokens issued per clientId. */
  readonly issuedByClient = new Map<string, number>();

  constructor(
    readonly api: 'v1' | 'v2',
    private readonly lifetimeSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  get issued(): number {
    return [...this.issuedByClient.values()].reduce((sum, n) => sum + n, 0);
  }

  issue(session: Omit<Session, 'expiresAt'>, claims: Record<string, unknown> = {}): TokenResponse {
    const issuedAt = Math.floor(this.now() / 1000);
    const payload = { iss: 'poweroffice-go-emulator', aud: this.api, sub: session.clientId, jti: randomUUID(), iat: issuedAt, exp: issuedAt + this.lifetimeSeconds, ...claims };
    const unsigned = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(payload)}`;
    const token = `${unsigned}.${createHmac('sha256', this.secret).update(unsigned).digest('base64url')}`;
    this.sessions.set(token, { ...session, expiresAt: this.now() + this.lifetimeSeconds * 1000 });
    this.issuedByClient.set(session.clientId, (this.issuedByClient.get(session.clientId) ?? 0) + 1);
    return { access_token: token, token_type: 'bearer', expires_in: this.lifetimeSeconds };
  }

  /** The session behind a bearer token, expired or not (callers decide; expired still names the client). */
  find(token: string): Session | undefined {
    return this.sessions.get(token);
  }

  isLive(session: Session): boolean {
    return session.expiresAt > this.now();
  }

  /** Admin: every token issued so far stops working now (tests of re-authentication). */
  expireAll(): number {
    for (const session of this.sessions.values()) session.expiresAt = 0;
    return this.sessions.size;
  }
}

/** `Authorization: Basic base64(applicationKey:clientKey)` → the two keys. */
export function parseBasicAuth(header: string | undefined): { applicationKey: string; clientKey: string } | undefined {
  const [scheme, encoded] = (header ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { applicationKey: decoded.slice(0, colon), clientKey: decoded.slice(colon + 1) };
}

export function bearerToken(header: string | undefined): string | undefined {
  const [scheme, token] = (header ?? '').split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}
