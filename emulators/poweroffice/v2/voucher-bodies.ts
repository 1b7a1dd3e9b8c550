import { z } from 'zod';

/**
 * `BankVoucherPostDto` / `ManualVoucherPostDto` and their lines, as the v2 spec defines them:
 * PascalCase, `additionalProperties: false` (an unknown or misspelt member is refused, not
 * ignored), required members present (`VoucherDate`, `CurrencyCode`; per line `AccountId`,
 * `PostingDate`, `VatId`). Business rules (accounts exist, lines balance, …) are in post-voucher.ts.
 */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a calendar date');
const int64 = z.number().int();
const text = z.string().nullable().optional();
const optionalId = int64.nullable().optional();

export const vatReturnSpecifications = ['None', 'Adjustment', 'LossesOnClaims', 'ReversalOfInputValueAddedTax', 'Withdrawals', 'AdjustmentVatCompensationRealProperty', 'PurchasesEligibleForCompensation'] as const;

const manualLineShape = {
  AccountId: int64.nullable(),
  PostingDate: isoDate,
  VatId: z.number().int().nullable(),
  CurrencyAmount: z.number().optional(),
  CurrencyCode: text,
  CurrencyExchangeRate: z.number().nullable().optional(),
  CustomMatchingReference: text,
  Description: text,
  ExternalLineReference: text,
  DepartmentId: optionalId,
  ProjectId: optionalId,
  LocationId: optionalId,
  ProductId: optionalId,
  Dim1Id: optionalId,
  Dim2Id: optionalId,
  Dim3Id: optionalId,
  Quantity: z.number().nullable().optional(),
  Quantity2: z.number().nullable().optional(),
  VatReturnSpecification: z.enum(vatReturnSpecifications).nullable().optional(),
};

export const manualVoucherLineSchema = z.strictObject(manualLineShape);
export const bankVoucherLineSchema = z.strictObject({
  ...manualLineShape,
  // BankVoucherLineDto caps Cid at 25 characters, the longest KID.
  Cid: z.string().max(25).nullable().optional(),
  InvoiceNo: text,
});

const headerShape = {
  VoucherDate: isoDate,
  CurrencyCode: z.string().max(3).nullable(),
  Description: text,
  ExternalImportReference: text,
  ImportedVoucherNo: optionalId,
  SaftBatchId: text,
  SaftSourceId: text,
};

export const manualVoucherPostSchema = z.strictObject({ ...headerShape, VoucherLines: z.array(manualVoucherLineSchema).nullable().optional() });
export const bankVoucherPostSchema = z.strictObject({ ...headerShape, VoucherLines: z.array(bankVoucherLineSchema).nullable().optional() });

export type ManualVoucherPost = z.infer<typeof manualVoucherPostSchema>;
export type BankVoucherPost = z.infer<typeof bankVoucherPostSchema>;
export type VoucherPost = ManualVoucherPost | BankVoucherPost;
export type VoucherLinePost = NonNullable<BankVoucherPost['VoucherLines']>[number] | NonNullable<ManualVoucherPost['VoucherLines']>[number];

/** Zod issues as ASP.NET's `errors` map: "VoucherLines[0].AccountId" → messages. */
export function bindingErrors(error: z.ZodError): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const path = issue.path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '');
    const message = issue.code === 'unrecognized_keys' ? `Unknown member(s): ${issue.keys.join(', ')}.` : issue.message;
    (errors[path || '$'] ??= []).push(message);
  }
  return errors;
}
