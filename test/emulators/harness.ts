import got, { type Response } from 'got';
import type { BookInvoiceRequest } from '../../adapters/ledger/ledger-api';
import { loadDemoSeed, type PowerOfficeSeedInput } from '../../emulators/poweroffice/fixture-schema';
import { startEmulators, type RunningEmulators } from '../../emulators/start';

/**
 * The PowerOffice emulator over real HTTP on free loopback ports, and the calls a client makes:
 * v1 with a bearer token, v2 with a bearer token and the subscription key.
 */
export const DEMO = {
  applicationKey: 'demo-application-key',
  subscriptionKey: 'demo-subscription-key',
  clientKey1001: 'demo-client-key-1001',
  clientKey1002: 'demo-client-key-1002',
};

export const http = got.extend({ throwHttpErrors: false, retry: { limit: 0 }, responseType: 'text', timeout: { request: 10_000 }, followRedirect: false });

export type HttpResponse = Response<string>;

export function jsonOf<T = Record<string, unknown>>(response: HttpResponse): T {
  return JSON.parse(response.body) as T;
}

export interface PowerOfficeUnderTest {
  running: RunningEmulators;
  /** v1 base, trailing slash. */
  v1: string;
  /** v2 API base, e.g. http://127.0.0.1:1234/v2/. */
  v2: string;
  v2Token: string;
  /** Admin API base on the v1 listener, trailing slash. */
  admin: string;
  close(): Promise<void>;
}

export async function startPowerOffice(seed: PowerOfficeSeedInput = loadDemoSeed(), tokenLifetimeSeconds?: number): Promise<PowerOfficeUnderTest> {
  const running = await startEmulators({ distributionApiKey: 'unused', seed, ...(tokenLifetimeSeconds ? { tokenLifetimeSeconds } : {}) });
  return {
    running,
    v1: running.powerOfficeUrl,
    v2: running.powerOfficeV2Url,
    v2Token: running.powerOfficeV2TokenUrl,
    admin: `${running.powerOfficeUrl}_emulator/`,
    close: () => running.close(),
  };
}

export function basic(applicationKey: string, clientKey: string): string {
  return `Basic ${Buffer.from(`${applicationKey}:${clientKey}`).toString('base64')}`;
}

export function tokenRequest(url: string, clientKey: string, headers: Record<string, string> = {}, applicationKey = DEMO.applicationKey) {
  return http.post(url, {
    headers: { authorization: basic(applicationKey, clientKey), 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    body: 'grant_type=client_credentials',
  });
}

function accessToken(response: HttpResponse): string {
  if (response.statusCode !== 200) throw new Error(`token refused: HTTP ${response.statusCode} ${response.body}`);
  return jsonOf<{ access_token: string }>(response).access_token;
}

export interface ApiSession {
  token: string;
  get(path: string, searchParams?: Record<string, string>): Promise<HttpResponse>;
  post(path: string, json: object): Promise<HttpResponse>;
}

export async function v1Session(po: PowerOfficeUnderTest, clientKey: string): Promise<ApiSession> {
  const token = accessToken(await tokenRequest(`${po.v1}OAuth/Token`, clientKey));
  const headers = { authorization: `Bearer ${token}` };
  return {
    token,
    get: (path, searchParams) => http.get(`${po.v1}${path}`, { headers, ...(searchParams ? { searchParams } : {}) }),
    post: (path, json) => http.post(`${po.v1}${path}`, { headers, json }),
  };
}

export async function v2Session(po: PowerOfficeUnderTest, clientKey: string, subscriptionKey = DEMO.subscriptionKey): Promise<ApiSession> {
  const token = accessToken(await tokenRequest(po.v2Token, clientKey, { 'ocp-apim-subscription-key': subscriptionKey }));
  const headers = { authorization: `Bearer ${token}`, 'ocp-apim-subscription-key': subscriptionKey };
  return {
    token,
    get: (path, searchParams) => http.get(`${po.v2}${path}`, { headers, ...(searchParams ? { searchParams } : {}) }),
    post: (path, json) => http.post(`${po.v2}${path}`, { headers, json }),
  };
}

export function admin<T = Record<string, unknown>>(po: PowerOfficeUnderTest, path: string): Promise<T> {
  return http.get(`${po.admin}${path}`).then((r) => jsonOf<T>(r));
}

export async function adminSend(po: PowerOfficeUnderTest, method: 'POST' | 'PUT' | 'DELETE', path: string, json?: object): Promise<HttpResponse> {
  return http(`${po.admin}${path}`, { method, ...(json === undefined ? {} : { json }) });
}

/** A booking of invoice 10023 of client 1001 as our ledger adapter sends it; tests change what they need. */
export function ledgerBooking(change: Partial<BookInvoiceRequest> = {}): BookInvoiceRequest {
  return {
    clientId: '1001',
    invoiceId: '3f2c7a8e-1b4d-4c5e-9f60-7a8b9c0d1e21',
    invoiceNo: 10023,
    documentType: 'Invoice',
    customerNo: 10010,
    amountOre: 1_250_000,
    currency: 'NOK',
    invoiceDate: '2026-11-27',
    dueDate: '2026-12-11',
    kid: '0100100100234',
    ...change,
  };
}
