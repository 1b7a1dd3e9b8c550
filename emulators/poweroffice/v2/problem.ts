import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';

/**
 * v2 errors are RFC 7807 ProblemDetails (reference §4), as ASP.NET Core writes them: camelCase
 * `type`, `title`, `status`, `detail`, `instance`, plus `traceId`, served as
 * `application/problem+json`. The spec's schema spells the members PascalCase but allows any
 * member; the examples in the spec and the body observed on demo are camelCase, so camelCase it is.
 */
const TYPE_BY_STATUS: Record<number, string> = {
  400: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
  401: 'https://tools.ietf.org/html/rfc9110#section-15.5.2',
  403: 'https://tools.ietf.org/html/rfc9110#section-15.5.4',
  404: 'https://tools.ietf.org/html/rfc9110#section-15.5.5',
  409: 'https://tools.ietf.org/html/rfc9110#section-15.5.10',
  500: 'https://tools.ietf.org/html/rfc9110#section-15.6.1',
};

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  traceId: string;
  errors?: Record<string, string[]>;
}

export function problemBody(request: FastifyRequest, status: number, title: string, detail?: string): ProblemDetails {
  return {
    type: TYPE_BY_STATUS[status] ?? 'about:blank',
    title,
    status,
    ...(detail === undefined ? {} : { detail }),
    instance: request.url.split('?')[0] ?? request.url,
    traceId: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`,
  };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, status: number, title: string, detail?: string): FastifyReply {
  return reply.code(status).type('application/problem+json; charset=utf-8').send(problemBody(request, status, title, detail));
}

/** ASP.NET's answer to a body or parameter it cannot bind: 400 with `errors` per member. */
export function sendValidationProblem(request: FastifyRequest, reply: FastifyReply, errors: Record<string, string[]>): FastifyReply {
  const body = { ...problemBody(request, 400, 'One or more validation errors occurred.'), errors };
  return reply.code(400).type('application/problem+json; charset=utf-8').send(body);
}

export function notFound(request: FastifyRequest, reply: FastifyReply, detail: string): FastifyReply {
  return sendProblem(request, reply, 404, 'Object(s) not found', detail);
}
