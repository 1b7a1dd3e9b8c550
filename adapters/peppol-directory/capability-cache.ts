import type { DocumentType } from '../../domain/invoice';

/**
 * What the PEPPOL Directory said an organisation can receive, remembered per organisation number.
 * One lookup answers both document types; an answer's age limit depends on the answer itself:
 * "yes" holds for `positiveTtlMs` (registrations rarely go away), "no" only for `negativeTtlMs`
 * (a customer that registers for EHF today should get EHF tomorrow, not in a day's time).
 * Errors are never cached. Bounded: beyond `maxEntries` the least recently stored entry goes.
 */
export type Receivable = Record<DocumentType, boolean>;

export interface CapabilityCacheOptions {
  positiveTtlMs: number;
  negativeTtlMs: number;
  maxEntries: number;
  /** The clock, injectable so tests can age entries without waiting. */
  now: () => number;
}

export const DEFAULT_CAPABILITY_CACHE: CapabilityCacheOptions = {
  positiveTtlMs: 24 * 60 * 60 * 1000,
  negativeTtlMs: 60 * 60 * 1000,
  maxEntries: 10_000,
  now: Date.now,
};

interface Entry {
  fetchedAt: number;
  receivable: Receivable;
}

export class CapabilityCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: CapabilityCacheOptions) {}

  /** The remembered answer while it is fresh; undefined when unknown or too old. */
  answer(organisationNumber: string, documentType: DocumentType): boolean | undefined {
    const entry = this.entries.get(organisationNumber);
    if (!entry) return undefined;
    const answer = entry.receivable[documentType];
    const ttl = answer ? this.options.positiveTtlMs : this.options.negativeTtlMs;
    return this.options.now() - entry.fetchedAt < ttl ? answer : undefined;
  }

  store(organisationNumber: string, receivable: Receivable): void {
    // Re-inserting moves the entry to the end of the Map's order, so the first key is the oldest.
    this.entries.delete(organisationNumber);
    this.entries.set(organisationNumber, { fetchedAt: this.options.now(), receivable });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
