import { TokenCache } from '../../adapters/poweroffice/token-cache';

describe('PowerOffice access tokens', () => {
  test('a token is reused, then renewed before it expires, not after', async () => {
    let now = 0;
    const cache = new TokenCache(() => now);
    let issued = 0;
    const fetchToken = () => Promise.resolve({ value: `token-${++issued}`, lifetimeMs: 600_000 });

    expect(await cache.get('client-a', fetchToken)).toBe('token-1');
    now = 539_999; // lifetime 600 s, renewed with 60 s to spare
    expect(await cache.get('client-a', fetchToken)).toBe('token-1');
    now = 540_000;
    expect(await cache.get('client-a', fetchToken)).toBe('token-2');
    expect(issued).toBe(2);
  });

  test('concurrent callers for one client share one token request', async () => {
    const cache = new TokenCache(() => 0);
    let issued = 0;
    const fetchToken = () => new Promise<{ value: string; lifetimeMs: number }>((resolve) => setTimeout(() => resolve({ value: `token-${++issued}`, lifetimeMs: 1_200_000 }), 10));

    const tokens = await Promise.all([cache.get('c', fetchToken), cache.get('c', fetchToken), cache.get('c', fetchToken)]);
    expect(tokens).toEqual(['token-1', 'token-1', 'token-1']);
  });

  test('each client has its own token', async () => {
    const cache = new TokenCache(() => 0);
    const fetchFor = (name: string) => () => Promise.resolve({ value: name, lifetimeMs: 600_000 });
    expect(await cache.get('a', fetchFor('token-a'))).toBe('token-a');
    expect(await cache.get('b', fetchFor('token-b'))).toBe('token-b');
  });

  test('a forgotten token (after a 401) is fetched again', async () => {
    const cache = new TokenCache(() => 0);
    let issued = 0;
    const fetchToken = () => Promise.resolve({ value: `token-${++issued}`, lifetimeMs: 600_000 });
    await cache.get('c', fetchToken);
    cache.forget('c');
    expect(await cache.get('c', fetchToken)).toBe('token-2');
  });
});
