/**
 * Every API call the emulator received (admin routes excluded), counted on arrival, so tests can
 * prove "exactly once": per route pattern, per client, per answer status. A call that never got
 * an answer (an injected hang) keeps `status: null`.
 */
export type ApiName = 'v1' | 'v2';

export interface RecordedCall {
  seq: number;
  api: ApiName;
  method: string;
  /** The route pattern, e.g. `/Factoring/InvoiceEhf/:invoiceId/`; `(no route)` for a 404. */
  route: string;
  /** The path as called, query string left out. */
  path: string;
  clientId: string | null;
  status: number | null;
  at: string;
}

export interface RouteCounts {
  total: number;
  byClient: Record<string, number>;
  byStatus: Record<string, number>;
}

export class CallLog {
  readonly entries: RecordedCall[] = [];
  /** v1 calls per "METHOD path", the emulator's first counting API (kept for existing tests). */
  readonly v1ByPath = new Map<string, number>();

  record(call: Omit<RecordedCall, 'seq' | 'status' | 'at'>): RecordedCall {
    const entry: RecordedCall = { ...call, seq: this.entries.length + 1, status: null, at: new Date().toISOString() };
    this.entries.push(entry);
    if (call.api === 'v1') {
      const key = `${call.method} ${call.path}`;
      this.v1ByPath.set(key, (this.v1ByPath.get(key) ?? 0) + 1);
    }
    return entry;
  }

  /** Counts keyed "v2 POST /v2/Vouchers/BankJournals". */
  byRoute(): Record<string, RouteCounts> {
    const counts: Record<string, RouteCounts> = {};
    for (const call of this.entries) {
      const counted = (counts[`${call.api} ${call.method} ${call.route}`] ??= { total: 0, byClient: {}, byStatus: {} });
      counted.total += 1;
      const client = call.clientId ?? 'unknown';
      counted.byClient[client] = (counted.byClient[client] ?? 0) + 1;
      const status = call.status === null ? 'no answer' : String(call.status);
      counted.byStatus[status] = (counted.byStatus[status] ?? 0) + 1;
    }
    return counts;
  }

  reset(): void {
    this.entries.length = 0;
    this.v1ByPath.clear();
  }
}
