/**
 * The slice of PowerOffice's OData query syntax the Factoring list routes need
 * (reference §2): `$filter=(InvoiceNo gt 10023)`, `$orderby=InvoiceNo asc`, `$top`, `$skip`.
 * Anything else is refused the way v1 refuses it: HTTP 200, `success: false`, exception "OData".
 */
export class ODataError extends Error {}

type Row = Record<string, unknown>;
const COMPARATORS = { eq: (a: number, b: number) => a === b, ne: (a: number, b: number) => a !== b, gt: (a: number, b: number) => a > b, ge: (a: number, b: number) => a >= b, lt: (a: number, b: number) => a < b, le: (a: number, b: number) => a <= b } as const;
type Comparator = keyof typeof COMPARATORS;

/** PascalCase property in a query → camelCase property in the JSON. */
function property(name: string): string {
  if (!/^[A-Z][A-Za-z]*$/.test(name)) throw new ODataError(`Property names must be PascalCase: '${name}'`);
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function parseFilter(filter: string): (row: Row) => boolean {
  const trimmed = filter.trim();
  if (!trimmed.startsWith('(') || !trimmed.endsWith(')')) throw new ODataError('The $filter expression must be wrapped in parentheses');
  const terms = trimmed.slice(1, -1).split(/\s+and\s+/);
  const tests = terms.map((term) => {
    const match = /^\s*([A-Za-z]+)\s+(eq|ne|gt|ge|lt|le)\s+(-?\d+)\s*$/.exec(term);
    if (!match) throw new ODataError(`Unsupported $filter term: '${term}'`);
    const [, name = '', op, value] = match;
    const key = property(name);
    const compare = COMPARATORS[op as Comparator];
    return (row: Row) => typeof row[key] === 'number' && compare(row[key], Number(value));
  });
  return (row) => tests.every((t) => t(row));
}

function parseOrderBy(orderBy: string): (a: Row, b: Row) => number {
  const clauses = orderBy.split(',').map((clause) => {
    const match = /^\s*([A-Za-z]+)(?:\s+(asc|desc))?\s*$/.exec(clause);
    if (!match) throw new ODataError(`Unsupported $orderby clause: '${clause}'`);
    return { key: property(match[1] ?? ''), sign: match[2] === 'desc' ? -1 : 1 };
  });
  return (a, b) => {
    for (const { key, sign } of clauses) {
      const x = a[key] as number | string;
      const y = b[key] as number | string;
      if (x < y) return -sign;
      if (x > y) return sign;
    }
    return 0;
  };
}

function nonNegativeInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new ODataError(`${name} must be a non-negative integer`);
  return Number(raw);
}

export interface ODataResult<T> {
  page: T[];
  /** Size of the filtered set, before $skip/$top (v1 `count`). */
  count: number;
}

export function applyOData<T extends Row>(rows: T[], query: Record<string, string | undefined>): ODataResult<T> {
  const filtered = query.$filter ? rows.filter(parseFilter(query.$filter)) : [...rows];
  if (query.$orderby) filtered.sort(parseOrderBy(query.$orderby));
  const top = nonNegativeInt('$top', query.$top);
  const skip = nonNegativeInt('$skip', query.$skip);
  if (skip !== undefined && (top === undefined || !query.$orderby)) {
    throw new ODataError('$skip requires $top and $orderby');
  }
  const start = skip ?? 0;
  return { page: filtered.slice(start, top === undefined ? undefined : start + top), count: filtered.length };
}
