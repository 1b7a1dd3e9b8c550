import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

/**
 * The v2 OpenAPI 3.0.1 spec (../shared/reference/poweroffice-v2-openapi.yaml) as a judge of what
 * the emulator sends and accepts. OpenAPI 3.0 schemas are not JSON Schema: `nullable: true` is
 * turned into a `null` type, `example` is dropped, the int32/int64/float/double formats are
 * checked as numbers, and `$ref`s resolve inside `#/components/schemas` of the spec itself.
 */
export const V2_SPEC_PATH = join(__dirname, '..', '..', '..', 'shared', 'reference', 'poweroffice-v2-openapi.yaml');
const SPEC_ID = 'poweroffice-v2';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Operation {
  summary?: string;
  responses: Record<string, { content?: Record<string, { schema: JsonObject }> }>;
  requestBody?: { content: Record<string, { schema: JsonObject }> };
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonObject> };
}

/** OpenAPI 3.0 Schema Object → JSON Schema (draft-07 as ajv reads it). */
export function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, example: _example, ...rest } = node;
  const converted: JsonObject = {};
  for (const [key, value] of Object.entries(rest)) {
    // `properties` maps names to schemas; a property may be called "example" or "nullable".
    converted[key] = key === 'properties' && value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, toJsonSchema(schema)])) : toJsonSchema(value);
  }
  // '#/components/schemas/X' → the same schema in the document registered with ajv.
  if (typeof converted.$ref === 'string') converted.$ref = converted.$ref.replace('#/components/schemas/', `${SPEC_ID}#/definitions/`);
  if (nullable !== true) return converted;
  if (typeof converted.$ref === 'string') return { anyOf: [converted, { type: 'null' }] };
  if (typeof converted.type === 'string') converted.type = [converted.type, 'null'];
  if (Array.isArray(converted.enum)) converted.enum = [...converted.enum, null];
  return converted;
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

class Contract {
  readonly spec: Spec;
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor() {
    this.spec = YAML.parse(readFileSync(V2_SPEC_PATH, 'utf8')) as Spec;
    this.ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
    addFormats(this.ajv);
    this.ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= INT32.min && n <= INT32.max });
    this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    this.ajv.addFormat('double', { type: 'number', validate: () => true });
    this.ajv.addFormat('float', { type: 'number', validate: () => true });
    this.ajv.addFormat('binary', true);
    const definitions = Object.fromEntries(Object.entries(this.spec.components.schemas).map(([name, schema]) => [name, toJsonSchema(schema)]));
    this.ajv.addSchema({ $id: SPEC_ID, definitions });
  }

  operation(method: string, path: string): Operation {
    const operation = this.spec.paths[path]?.[method.toLowerCase()];
    if (!operation) throw new Error(`the v2 spec has no ${method} ${path}`);
    return operation;
  }

  validator(schema: JsonObject): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as JsonObject);
      this.cache.set(key, validate);
    }
    return validate;
  }

  errorsOf(validate: ValidateFunction): string {
    return this.ajv.errorsText(validate.errors, { separator: '\n' });
  }
}

let contract: Contract | undefined;
/** Parsing the 1.5 MB spec takes a moment: once per test file. */
export function v2Contract(): Contract {
  contract ??= new Contract();
  return contract;
}

export interface ContractVerdict {
  /** Which response of the spec judged it: the status code, or "default". */
  documentedAs: string;
  problems: string[];
}

/**
 * Checks one response against the spec: a documented status with a JSON schema must match it; a
 * documented status without content may be empty, and a body there (or under an undocumented
 * status) must match the spec's `default`, which is ProblemDetails.
 */
export function checkResponse(method: string, path: string, status: number, body: string): ContractVerdict {
  const c = v2Contract();
  const responses = c.operation(method, path).responses;
  const documented = responses[String(status)];
  const documentedAs = documented ? String(status) : 'default';
  if (!documented && !responses.default) return { documentedAs, problems: [`HTTP ${status} is not documented for ${method} ${path}`] };
  const schema = documented?.content?.['application/json']?.schema ?? (body.trim() === '' ? undefined : { $ref: '#/components/schemas/ProblemDetails' });
  if (!schema) return { documentedAs, problems: [] };
  if (body.trim() === '') return { documentedAs, problems: [`HTTP ${status} must have a JSON body`] };
  const validate = c.validator(schema);
  return validate(JSON.parse(body)) ? { documentedAs, problems: [] } : { documentedAs, problems: [c.errorsOf(validate)] };
}

/** Checks a request body against the operation's `application/json` request schema. */
export function checkRequestBody(method: string, path: string, body: unknown): string[] {
  const c = v2Contract();
  const schema = c.operation(method, path).requestBody?.content['application/json']?.schema;
  if (!schema) return [`${method} ${path} takes no JSON body in the spec`];
  const validate = c.validator(schema);
  return validate(body) ? [] : [c.errorsOf(validate)];
}

/** The privileges an operation needs, from "(Auth roles: A,B)" in its summary (reference §3). */
export function authRoles(method: string, path: string): string[] {
  const summary = v2Contract().operation(method, path).summary ?? '';
  const roles = /\(Auth roles: ([^)]*)\)/.exec(summary.replace(/\s+/g, ' '));
  return roles?.[1] ? roles[1].split(',').map((r) => r.trim()) : [];
}
