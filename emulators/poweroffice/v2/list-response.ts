import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_PAGE_SIZE } from './query';
import { sendProblem } from './problem';

/**
 * How every v2 list answers: a bare JSON array (no v1 wrapper), `OrderBy` and `Fields` applied,
 * one page of `PageSize`, 204 with no body when the page is empty (reference §4). The
 * `X-Pagination` header is what third-party clients read (reference §4, [3P]); it is not in the spec.
 */
export interface ListParameters {
  PageNumber?: number | undefined;
  PageSize?: number | undefined;
  Fields?: string | undefined;
  OrderBy?: string | undefined;
}

type Row = Record<string, unknown>;

class ParameterError extends Error {}

function propertyNamed(rows: Row[], sample: Row | undefined, name: string, parameter: string): string {
  const wanted = name.trim().toLowerCase();
  const match = Object.keys(sample ?? {}).find((key) => key.toLowerCase() === wanted);
  if (!match && rows.length > 0) throw new ParameterError(`${parameter}: '${name.trim()}' is not a property of the returned objects.`);
  return match ?? name.trim();
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return (a as number | string) < (b as number | string) ? -1 : 1;
}

function ordered(rows: Row[], orderBy: string | undefined): Row[] {
  if (!orderBy?.trim()) return rows;
  const clauses = orderBy.split(',').map((clause) => {
    const [name = '', direction = 'asc', ...rest] = clause.trim().split(/\s+/);
    if (rest.length > 0 || !/^(asc|desc)$/i.test(direction)) throw new ParameterError(`OrderBy: cannot read '${clause.trim()}'; use "Property [asc|desc]".`);
    return { key: propertyNamed(rows, rows[0], name, 'OrderBy'), sign: direction.toLowerCase() === 'desc' ? -1 : 1 };
  });
  return [...rows].sort((a, b) => {
    for (const { key, sign } of clauses) {
      const order = compare(a[key], b[key]);
      if (order !== 0) return order * sign;
    }
    return 0;
  });
}

function selected(rows: Row[], fields: string | undefined): Row[] {
  if (!fields?.trim()) return rows;
  const keys = fields.split(',').filter((f) => f.trim() !== '').map((f) => propertyNamed(rows, rows[0], f, 'Fields'));
  return rows.map((row) => Object.fromEntries(keys.map((key) => [key, row[key]])));
}

function pageLink(request: FastifyRequest, page: number): string {
  const url = new URL(request.url, `http://${request.headers.host ?? 'localhost'}`);
  for (const key of [...url.searchParams.keys()]) if (key.toLowerCase() === 'pagenumber') url.searchParams.delete(key);
  url.searchParams.set('PageNumber', String(page));
  return url.toString();
}

export function sendList(request: FastifyRequest, reply: FastifyReply, rows: Row[], parameters: ListParameters): FastifyReply {
  let shaped: Row[];
  try {
    shaped = ordered(rows, parameters.OrderBy);
    const pageSize = parameters.PageSize ?? DEFAULT_PAGE_SIZE;
    const currentPage = parameters.PageNumber ?? 1;
    const totalPages = Math.ceil(shaped.length / pageSize);
    const page = selected(shaped.slice((currentPage - 1) * pageSize, currentPage * pageSize), parameters.Fields);
    const pagination = {
      totalCount: shaped.length,
      pageSize,
      currentPage,
      totalPages,
      previousPageLink: currentPage > 1 && currentPage <= totalPages + 1 ? pageLink(request, currentPage - 1) : null,
      nextPageLink: currentPage < totalPages ? pageLink(request, currentPage + 1) : null,
    };
    void reply.header('x-pagination', JSON.stringify(pagination));
    if (page.length === 0) return reply.code(204).send();
    return reply.code(200).send(page);
  } catch (err) {
    if (err instanceof ParameterError) return sendProblem(request, reply, 400, 'Invalid resource parameter(s)', err.message);
    throw err;
  }
}
