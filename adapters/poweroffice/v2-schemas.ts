import { z } from 'zod';

/**
 * PowerOffice GO v2 shapes (poweroffice-v2-openapi.yaml, components/schemas). The API writes
 * PascalCase, its errors camelCase; responses are parsed after `camelizeKeys`, so every schema here
 * is camelCase. Requests are sent in the spec's PascalCase.
 */

const nullableString = z.string().nullish().transform((v) => v ?? undefined);

export const problemDetailsSchema = z.object({
  type: nullableString,
  title: nullableString,
  status: z.number().int().nullish(),
  detail: nullableString,
  instance: nullableString,
});

export const clientIntegrationInformationSchema = z.object({
  clientId: nullableString,
  clientName: nullableString,
  activeClientSubscriptions: z.array(z.string()).nullish().transform((v) => v ?? []),
  validPrivileges: z.array(z.string()).nullish().transform((v) => v ?? []),
  invalidPrivileges: z.array(z.string()).nullish().transform((v) => v ?? []),
});
export type ClientIntegrationInformation = z.infer<typeof clientIntegrationInformationSchema>;

export const contactAddressSchema = z.object({
  addressLine1: nullableString,
  addressLine2: nullableString,
  zipCode: nullableString,
  city: nullableString,
  countryCode: nullableString,
});
export type ContactAddress = z.infer<typeof contactAddressSchema>;

export const invoiceDeliveryTypes = ['PdfByEmail', 'Print', 'EHF', 'AvtaleGiro', 'External', 'Efaktura', 'Factoring'] as const;

export const customerSchema = z.object({
  id: z.number().int(),
  number: z.number().int().nullish(),
  subledgerAccountId: z.number().int(),
  name: nullableString,
  legalName: nullableString,
  firstName: nullableString,
  lastName: nullableString,
  isPerson: z.boolean().nullish(),
  organizationNumber: nullableString,
  emailAddress: nullableString,
  invoiceEmailAddress: nullableString,
  phoneNumber: nullableString,
  mailAddress: contactAddressSchema.nullish().transform((v) => v ?? undefined),
  /**
   * Not used by the service; a value PowerOffice adds later reads as unknown rather than making the
   * whole page of cards (every invoice of a batch page) unreadable.
   */
  invoiceDeliveryType: z.enum(invoiceDeliveryTypes).nullish().catch(undefined),
  isActive: z.boolean().nullish(),
  isArchived: z.boolean().nullish(),
});
export type Customer = z.infer<typeof customerSchema>;

export const generalLedgerAccountSchema = z.object({
  id: z.number().int(),
  accountNo: z.number().int(),
  name: nullableString,
  isActive: z.boolean().nullish(),
  vatCodeId: z.number().int().nullish(),
  vatCode: nullableString,
  isVatCodeLocked: z.boolean().nullish(),
  isDepartmentRequired: z.boolean().nullish(),
  isProjectRequired: z.boolean().nullish(),
});
export type GeneralLedgerAccount = z.infer<typeof generalLedgerAccountSchema>;

export const vatCodeSchema = z.object({
  id: z.number().int(),
  code: nullableString,
  name: nullableString,
  rate: z.number(),
  isActive: z.boolean().nullish(),
  validFrom: nullableString,
  validTo: nullableString,
});
export type VatCode = z.infer<typeof vatCodeSchema>;

export const postedVoucherSchema = z.object({
  id: z.string().min(1),
  voucherNo: z.number().int().nullish(),
  externalImportReference: nullableString,
});
export type PostedVoucher = z.infer<typeof postedVoucherSchema>;

/** A voucher line as we build it: amount in øre, converted to the API's decimal at the edge. */
export interface VoucherLine {
  accountId: number;
  amountOre: number;
  postingDate: string;
  vatId: number;
  description?: string;
  /** Bank journals only: makes PowerOffice match the payment against this invoice's open item. */
  invoiceNo?: number;
  cid?: string;
  externalLineReference?: string;
}

export interface Voucher {
  voucherDate: string;
  currencyCode: 'NOK';
  description: string;
  /** Duplicate guard: PowerOffice keeps one voucher per reference and client. */
  externalImportReference: string;
  lines: VoucherLine[];
}
