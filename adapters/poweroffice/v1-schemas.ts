import { z } from 'zod';

/**
 * PowerOffice GO v1 Factoring API shapes (../shared/reference/poweroffice-v1-factoring.md §2–3).
 * v1 sends camelCase and leaves null properties out; keys are matched case-insensitively by
 * lower-casing their first letter before parsing.
 */

export const factoringInvoiceStatusNames = ['Unspecified', 'Active', 'Forfeit', 'Complained', 'Completed', 'Delivered'] as const;
export type FactoringInvoiceStatus = (typeof factoringInvoiceStatusNames)[number];

/** The docs do not say whether enums travel as numbers or names; accept both. */
export const factoringInvoiceStatusSchema = z.union([
  z
    .number()
    .int()
    .min(0)
    .max(5)
    .transform((n) => factoringInvoiceStatusNames[n] as FactoringInvoiceStatus),
  z.enum(factoringInvoiceStatusNames),
]);

const guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'expected a Guid');
/** .NET dates: "2025-03-04", "2025-03-04T00:00:00" or with an offset. */
const netDate = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/, 'expected an ISO 8601 date');

export const factoringInvoiceDetailsSchema = z.object({
  id: guid,
  customerCode: z.number().int().optional(),
  customerEmail: z.string().optional(),
  totalAmount: z.number(),
  invoiceNo: z.number().int().positive(),
  invoiceDeliveryDate: netDate.optional(),
  invoiceDate: netDate.optional(),
  dueDate: netDate.optional(),
  createdDate: z.string().optional(),
  isDelivered: z.boolean(),
  originalInvoiceNo: z.number().int().optional(),
  factoringInvoiceStatus: factoringInvoiceStatusSchema.optional(),
  factoringInvoiceStatusDescription: z.string().optional(),
  debtorEmailAddress: z.string().optional(),
  debtorPhoneNumber: z.string().optional(),
  projectCode: z.string().optional(),
  projectName: z.string().optional(),
  departmentCode: z.string().optional(),
  departmentName: z.string().optional(),
});
export type FactoringInvoiceDetails = z.infer<typeof factoringInvoiceDetailsSchema>;

export const v1ValidationSchema = z.object({
  errorLogReference: z.string().optional(),
  summary: z.string().optional(),
  exception: z.string().optional(),
});

export const v1FailureSchema = z.object({ success: z.literal(false), validation: v1ValidationSchema.optional() });

export function v1ListSchema<T extends z.ZodType>(item: T) {
  return z.object({ success: z.literal(true), data: z.array(item).default([]), count: z.number().int().min(0) });
}

export function v1SingleSchema<T extends z.ZodType>(item: T) {
  return z.object({ success: z.literal(true), data: item });
}

export const factoringSettingSchema = z.object({
  id: guid.optional(),
  interestAccountCode: z.number().int().optional(),
  expenseAccountCode: z.number().int().optional(),
  factoringCompanySupplierAccountCode: z.number().int().optional(),
});
export type FactoringSetting = z.infer<typeof factoringSettingSchema>;

/** Lower-cases the first letter of every key, recursively: PascalCase and camelCase both parse. */
export function camelizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelizeKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), camelizeKeys(v)]),
  );
}

/** Names the field that broke, so a changed API shows up as a readable error, not `undefined`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
