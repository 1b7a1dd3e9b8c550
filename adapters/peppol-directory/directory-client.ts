import type { Got, Response } from 'got';
import type { DocumentType } from '../../domain/invoice';
import { ExternalServiceError, httpRefusal } from '../external-service-error';
import { createHttpClient } from '../http-client';
import { describeZodError } from '../poweroffice/v1-schemas';
import { CapabilityCache, DEFAULT_CAPABILITY_CACHE, type CapabilityCacheOptions, type Receivable } from './capability-cache';
import { directorySearchResultSchema, participantQuery, receivableDocumentTypes, type DirectoryMatch } from './directory-api';

/** What channel choice asks: can this Norwegian organisation receive this document as EHF? */
export interface PeppolDirectory {
  canReceive(organisationNumber: string, documentType: DocumentType): Promise<boolean>;
}

export interface PeppolDirectoryClientOptions extends Partial<CapabilityCacheOptions> {
  timeoutMs?: number;
}

const SERVICE = 'PEPPOL Directory' as const;

/**
 * The PEPPOL Directory's search API (contract: directory-api.ts) behind a cache. Make one instance
 * per worker: its cache is then shared by every activity the worker runs, so a batch with fifty
 * invoices to one customer asks the Directory once. Simultaneous lookups of one organisation
 * share one request. Temporal retries failures; nothing is retried here.
 */
export class PeppolDirectoryClient implements PeppolDirectory {
  private readonly http: Got;
  private readonly cache: CapabilityCache;
  private readonly inFlight = new Map<string, Promise<Receivable>>();

  constructor(
    private readonly baseUrl: string,
    options: PeppolDirectoryClientOptions = {},
  ) {
    this.cache = new CapabilityCache({
      positiveTtlMs: options.positiveTtlMs ?? DEFAULT_CAPABILITY_CACHE.positiveTtlMs,
      negativeTtlMs: options.negativeTtlMs ?? DEFAULT_CAPABILITY_CACHE.negativeTtlMs,
      maxEntries: options.maxEntries ?? DEFAULT_CAPABILITY_CACHE.maxEntries,
      now: options.now ?? DEFAULT_CAPABILITY_CACHE.now,
    });
    this.http = createHttpClient(options.timeoutMs ?? 10_000, { accept: 'application/json' });
  }

  async canReceive(organisationNumber: string, documentType: DocumentType): Promise<boolean> {
    // The Directory would answer 400 or nothing for it; no EHF is the right answer either way.
    if (!/^\d{9}$/.test(organisationNumber)) return false;
    const cached = this.cache.answer(organisationNumber, documentType);
    if (cached !== undefined) return cached;
    const receivable = await this.lookUpOnce(organisationNumber);
    return receivable[documentType];
  }

  private lookUpOnce(organisationNumber: string): Promise<Receivable> {
    const pending = this.inFlight.get(organisationNumber);
    if (pending) return pending;
    const lookup = this.lookUp(organisationNumber).finally(() => this.inFlight.delete(organisationNumber));
    this.inFlight.set(organisationNumber, lookup);
    return lookup;
  }

  private async lookUp(organisationNumber: string): Promise<Receivable> {
    const response = await this.search(organisationNumber);
    const receivable = receivableDocumentTypes(matchesOf(response), organisationNumber);
    this.cache.store(organisationNumber, receivable);
    return receivable;
  }

  private async search(organisationNumber: string): Promise<Response<string>> {
    const what = `lookup of organisation ${organisationNumber}`;
    let response: Response<string>;
    try {
      response = await this.http.get(new URL('search/1.0/json', this.baseUrl), { searchParams: { participant: participantQuery(organisationNumber) } });
    } catch (err) {
      throw new ExternalServiceError(SERVICE, `${what}: no response (${err instanceof Error ? err.message : String(err)})`, true);
    }
    if (response.statusCode !== 200) throw refusal(response, what);
    return response;
  }
}

/**
 * The Directory's documentation says an empty search result may come as an empty body; its
 * implementation sends `matches: []`. Both mean "not registered".
 */
function matchesOf(response: Response<string>): DirectoryMatch[] {
  if (response.body.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    throw new ExternalServiceError(SERVICE, 'the search result was not JSON', false, response.statusCode);
  }
  const parsed = directorySearchResultSchema.safeParse(json);
  if (!parsed.success) throw new ExternalServiceError(SERVICE, `unexpected search result: ${describeZodError(parsed.error)}`, false, response.statusCode);
  return parsed.data.matches;
}

/** The Directory answers errors as text/plain. */
function refusal(response: Response<string>, what: string): ExternalServiceError {
  return httpRefusal(SERVICE, what, response, response.body.trim().slice(0, 300) || '(no text)');
}
