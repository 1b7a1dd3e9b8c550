import { z } from 'zod';

/**
 * v1 request bodies (v1 reference §3). Newtonsoft binds property names case-insensitively and
 * ignores unknown ones, so keys are matched on their lower-cased first letter and extras dropped.
 * Enum values bind from the number or the name (the docs do not say which goes over the wire).
 */
export const FACTORING_STATUS_NAMES = ['Unspecified', 'Active', 'Forfeit', 'Complained', 'Completed', 'Delivered'] as const;

const guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a Guid');
const base64 = z.string().min(1, 'must not be empty').regex(/^[A-Za-z0-9+/\r\n]*={0,2}$/, 'must be base64');

export const deliveredRequestSchema = z.object({
  factoringInvoiceId: guid,
  /** The KID; its format is not validated by PowerOffice (v1 reference §7). */
  invoiceCid: z.string().nullish(),
  file: z
    .object({
      base64EncodedData: base64,
      // Go derives the MIME type from the extension (v1 reference §3).
      fileName: z.string().regex(/^[^\\/]+\.[A-Za-z0-9]+$/, 'must be a file name with an extension, e.g. "10023.pdf"'),
    })
    .nullish(),
  comment: z.string().nullish(),
});
export type DeliveredRequest = z.infer<typeof deliveredRequestSchema>;

const statusSchema = z.union([
  z.number().int().min(0).max(5),
  z.enum(FACTORING_STATUS_NAMES).transform((name) => FACTORING_STATUS_NAMES.indexOf(name)),
]);

export const statusRequestSchema = z.object({
  factoringInvoiceId: guid,
  factoringInvoiceStatus: statusSchema,
  factoringInvoiceStatusDescription: z.string().nullish(),
});
export type StatusRequest = z.infer<typeof statusRequestSchema>;

/** PascalCase or camelCase keys → camelCase, one level deep per object. */
export function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), camelKeys(v)]));
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'} ${issue.message}`).join('; ');
}
