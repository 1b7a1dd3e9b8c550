import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { FilterError } from './filters';
import { sendProblem, sendValidationProblem } from './problem';

/**
 * Query binding as ASP.NET does it: parameter names are case-insensitive, unknown parameters are
 * ignored, a value that does not bind is a 400 ValidationProblemDetails. OData options (`$top`,
 * `$skip`, …) are refused with 400: v2 pages with PageNumber/PageSize (reference §4).
 */
const positiveInt = (name: string, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d+$/, `The value is not valid for ${name}.`)
    .transform(Number)
    .pipe(z.number().int().min(1, `${name} must be at least 1.`).max(max, `${name} must not be larger than ${max}.`));
export const booleanParam = (name: string) => z.enum(['true', 'false', 'True', 'False'], { message: `The value is not valid for ${name}.` }).transform((v) => v.toLowerCase() === 'true');

export const MAX_PAGE_SIZE = 20_000;
export const DEFAULT_PAGE_SIZE = 5_000;

/** `ResourceParameters` in the spec, flattened into the query string. */
export const resourceParametersShape = {
  PageNumber: positiveInt('PageNumber').optional(),
  PageSize: positiveInt('PageSize', MAX_PAGE_SIZE).optional(),
  Fields: z.string().optional(),
  OrderBy: z.string().optional(),
  UseDatabaseValidation: booleanParam('UseDatabaseValidation').optional(),
};

export type QueryShape = Record<string, z.ZodType>;

/** Binds the query to `shape` or answers 400 itself (then returns undefined). */
export function bindQuery<S extends QueryShape>(request: FastifyRequest, reply: FastifyReply, shape: S): z.infer<z.ZodObject<S>> | undefined {
  const raw = (request.query ?? {}) as Record<string, string | string[] | undefined>;
  const odata = Object.keys(raw).filter((key) => key.startsWith('$'));
  if (odata.length > 0) {
    sendProblem(request, reply, 400, 'Unsupported query parameter(s)', `OData query options (${odata.join(', ')}) are not supported in v2. Use PageNumber and PageSize for paging and the named filters of the endpoint.`);
    return undefined;
  }
  const byLowerName = new Map(Object.keys(shape).map((name) => [name.toLowerCase(), name]));
  const bound: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    const name = byLowerName.get(key.toLowerCase());
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (name && last !== undefined) bound[name] = last;
  }
  const parsed = z.object(shape).safeParse(bound);
  if (parsed.success) return parsed.data;
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (errors[String(issue.path[0] ?? '')] ??= []).push(issue.message);
  sendValidationProblem(request, reply, errors);
  return undefined;
}

/** Runs a filter parser; a FilterError becomes the spec's 400 "Unable to cast object(s)". */
export function withFilters<T>(request: FastifyRequest, reply: FastifyReply, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof FilterError)) throw err;
    sendProblem(request, reply, 400, 'Unable to cast object(s)', err.message);
    return undefined;
  }
}
