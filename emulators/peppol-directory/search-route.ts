import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NORWEGIAN_ICD, PARTICIPANT_SCHEME, type DirectoryMatch, type DirectorySearchResult } from '../../adapters/peppol-directory/directory-api';
import type { FaultInjector } from '../faults';
import type { ParticipantRegistry } from './participants';

/**
 * GET /search/1.0/json, as phoss-directory's PublicSearchXServletHandler answers it, for the one
 * search field we use: `participant` (exact match). Paging parameters (resultPageIndex/rpi,
 * resultPageCount/rpc) are honoured; other search fields are refused, since the emulator cannot
 * search names or countries. Errors are text/plain, like the Directory's.
 */
export const SEARCH_PATH = '/search/1.0/json';
const DEFAULT_PAGE_COUNT = 20;
const MAX_RESULTS = 1000;
const NORWEGIAN_PARTICIPANT = new RegExp(`^${PARTICIPANT_SCHEME}::${NORWEGIAN_ICD}:(\\d{9})$`, 'i');
/** Any ISO 6523 participant identifier: 4-digit ICD, a colon, a value. */
const ANY_PARTICIPANT = new RegExp(`^${PARTICIPANT_SCHEME}::\\d{4}:\\S+$`, 'i');
const EMULATED_PARAMETERS = new Set(['participant', 'resultPageIndex', 'rpi', 'resultPageCount', 'rpc', 'beautify']);

const pagingSchema = z.object({
  pageIndex: z.coerce.number().int().min(0, 'ResultPageIndex must be >= 0.'),
  pageCount: z.coerce.number().int().min(1, 'ResultPageCount must be > 0.'),
});

/** Fastify's query parser gives a repeated parameter as an array. */
const querySchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

export function registerSearchRoute(app: FastifyInstance, registry: ParticipantRegistry, faults: FaultInjector, adminPrefix: string): void {
  void app.register(async (api) => {
    faults.install(api, adminPrefix);
    api.get(SEARCH_PATH, (request, reply) => search(request, reply, registry));
  });
}

async function search(request: FastifyRequest, reply: FastifyReply, registry: ParticipantRegistry): Promise<FastifyReply> {
  const parsedQuery = querySchema.safeParse(request.query);
  if (!parsedQuery.success) return refuse(reply, 'No valid query term provided!');
  const terms = searchTermsOf(parsedQuery.data);
  // Counted before any check: a test proving "no call was made" must see refused calls too.
  registry.countSearch(terms.organisationNumbers.filter((n): n is string => n !== undefined));
  if (terms.error !== undefined) return refuse(reply, terms.error);

  // Several `participant` terms are ANDed; a business card has one participant identifier.
  const [number, ...others] = terms.organisationNumbers;
  const found = number !== undefined && others.every((n) => n === number) ? registry.match(number) : undefined;
  const matches = found && terms.pageIndex === 0 ? [found] : [];
  return reply
    .header('access-control-allow-origin', '*')
    .header('cache-control', 'no-cache')
    .type('application/json;charset=utf-8')
    .send(resultOf(matches, found ? 1 : 0, terms));
}

interface SearchTerms {
  /** The Directory's refusal text, when the query is one it refuses. */
  error?: string;
  participants: string[];
  /** Per participant term: the organisation number, when it is a Norwegian one. */
  organisationNumbers: (string | undefined)[];
  pageIndex: number;
  pageCount: number;
}

function searchTermsOf(query: z.infer<typeof querySchema>): SearchTerms {
  const participants = valuesOf(query.participant);
  const organisationNumbers = participants.map((p) => NORWEGIAN_PARTICIPANT.exec(p)?.[1]);
  const paging = pagingSchema.safeParse({
    pageIndex: first(query.resultPageIndex ?? query.rpi) ?? 0,
    pageCount: first(query.resultPageCount ?? query.rpc) ?? DEFAULT_PAGE_COUNT,
  });
  const { pageIndex, pageCount } = paging.success ? paging.data : { pageIndex: 0, pageCount: DEFAULT_PAGE_COUNT };
  const terms = { participants, organisationNumbers, pageIndex, pageCount };
  const unsupported = Object.keys(query).filter((name) => !EMULATED_PARAMETERS.has(name));
  if (unsupported.length > 0) return { ...terms, error: `The emulator searches by participant only, not by ${unsupported.join(', ')}` };
  if (participants.length === 0) return { ...terms, error: 'No valid query term provided!' };
  if (!participants.every((p) => ANY_PARTICIPANT.test(p))) return { ...terms, error: 'No valid queries could be created!' };
  if (!paging.success) return { ...terms, error: paging.error.issues[0]?.message ?? 'invalid paging' };
  const lastIndex = (pageIndex + 1) * pageCount - 1;
  if (lastIndex > MAX_RESULTS) return { ...terms, error: `The last result index ${lastIndex} is invalid. It must be <= ${MAX_RESULTS}.` };
  return terms;
}

function resultOf(matches: DirectoryMatch[], total: number, terms: SearchTerms): DirectorySearchResult {
  const { pageIndex, pageCount } = terms;
  const firstIndex = pageIndex * pageCount;
  return {
    version: '1.0',
    'total-result-count': total,
    'used-result-count': matches.length,
    'result-page-index': pageIndex,
    'result-page-count': pageCount,
    'first-result-index': firstIndex,
    // The Directory's "effective last index": min(page end, hits - 1), so -1 with no hits.
    'last-result-index': Math.min(firstIndex + pageCount - 1, total - 1),
    'query-terms': terms.participants.map((p) => `participant=${p}`).join('&'),
    'creation-dt': new Date().toISOString(),
    matches,
  };
}

function refuse(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).type('text/plain;charset=utf-8').send(message);
}

function valuesOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function first(value: string | string[] | undefined): string | undefined {
  return valuesOf(value)[0];
}
