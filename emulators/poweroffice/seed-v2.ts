import { z } from 'zod';

/**
 * Seed records for the v2 API, in the v2 OpenAPI spec's own shapes (PascalCase, the spec's property
 * names; ../shared/reference/poweroffice-v2-openapi.yaml `CustomerDto`, `ContactAddressDto`,
 * `GeneralLedgerAccountDto`, `VatCodeDto`). Strict objects: a misspelt property in a fixture is an
 * error, not a silently missing field. Properties left out are served as null (v2 sends nulls).
 */
const str = z.string().nullable().optional();
const int = z.number().int().nullable().optional();
const bool = z.boolean().nullable().optional();
const num = z.number().nullable().optional();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const dateTimeOffset = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, 'expected an ISO 8601 date-time with offset');

export const seedAddressSchema = z.strictObject({
  Id: z.number().int().optional(),
  AddressLine1: z.string().max(200).nullable().optional(),
  AddressLine2: z.string().max(200).nullable().optional(),
  ZipCode: z.string().max(50).nullable().optional(),
  City: z.string().max(100).nullable().optional(),
  CountryCode: str,
  ExternalCode: z.string().max(50).nullable().optional(),
  LastChangedDateTimeOffset: dateTimeOffset.optional(),
});

export type SeedAddress = z.infer<typeof seedAddressSchema>;

export const invoiceDeliveryTypes = ['PdfByEmail', 'Print', 'EHF', 'AvtaleGiro', 'External', 'Efaktura', 'Factoring'] as const;

export const seedCustomerSchema = z.strictObject({
  /** Contact id; assigned by the emulator when left out (admin API). */
  Id: z.number().int().positive().optional(),
  /** Customer number = customer sub-ledger account number; the v1 invoice's `customerCode`. */
  Number: z.number().int().positive(),
  /** Id of the customer's sub-ledger account: the `AccountId` of ledger lines against this customer. */
  SubledgerAccountId: z.number().int().positive().optional(),
  Name: str,
  LegalName: str,
  FirstName: str,
  LastName: str,
  IsPerson: bool,
  OrganizationNumber: str,
  NationalIdNumber: str,
  DateOfBirth: isoDate.nullable().optional(),
  PhoneNumber: str,
  EmailAddress: str,
  InvoiceEmailAddress: str,
  InvoiceEmailAddressCC: str,
  PaymentReminderEmailAddress: str,
  WebsiteUrl: str,
  MailAddress: seedAddressSchema.optional(),
  InvoiceDeliveryType: z.enum(invoiceDeliveryTypes).nullable().optional(),
  ReminderDeliveryType: z.enum(['PdfByEmail', 'Print']).nullable().optional(),
  NoticeOfDebtCollectionDeliveryType: z.enum(['PdfByEmail', 'Print']).nullable().optional(),
  ExternalNumber: int,
  ExternalImportReference: z.string().max(50).nullable().optional(),
  ContactGroupIds: z.array(z.number().int()).nullable().optional(),
  CurrencyCode: str,
  PaymentTerm: int,
  PaymentTermId: int,
  DeliveryTerm: str,
  DeliveryTermId: int,
  DepartmentCode: str,
  DepartmentId: int,
  InvoiceBrandingThemeCode: str,
  InvoiceBrandingThemeId: int,
  SalesPersonEmployeeId: int,
  SalesPersonEmployeeNumber: int,
  CustomerSince: isoDate.nullable().optional(),
  Allowance: num,
  BillableRate: num,
  IsActive: bool,
  IsArchived: bool,
  IsVatFree: bool,
  UseInvoiceFee: bool,
  SendPaymentReminders: bool,
  DoNotAddLatePaymentFees: bool,
  DoNotAddLatePaymentInterest: bool,
  DoNotAutomatePaymentNotifications: bool,
  TransferToDebtCollectionAgency: bool,
  CreatedFromImportJournalId: z.guid().nullable().optional(),
  ContactCreatedDateTimeOffset: dateTimeOffset.optional(),
  CustomerCreatedDateTimeOffset: dateTimeOffset.optional(),
  LastChangedDateTimeOffset: dateTimeOffset.optional(),
});
export type SeedCustomer = z.infer<typeof seedCustomerSchema>;

export const seedAccountSchema = z.strictObject({
  Id: z.number().int().positive(),
  AccountNo: z.number().int().positive(),
  Name: str,
  IsActive: bool,
  GeneralLedgerAccountType: z.enum(['Asset', 'Liability', 'Equity', 'Income', 'Expense']).nullable().optional(),
  VatCodeId: int,
  VatCode: str,
  IsVatCodeLocked: bool,
  IsDepartmentRequired: bool,
  IsProjectRequired: bool,
  CurrencyCode: str,
  DepartmentId: int,
  DepartmentCode: str,
  LastChangedDateTimeOffset: dateTimeOffset.optional(),
});
export type SeedAccount = z.infer<typeof seedAccountSchema>;

export const seedVatCodeSchema = z.strictObject({
  Id: z.number().int().positive(),
  Code: z.string().min(1),
  Name: str,
  Description: str,
  /** 0..1: 0.25 is 25 %. */
  Rate: z.number().min(0).max(1),
  ValidFrom: isoDate,
  ValidTo: isoDate.nullable().optional(),
  IsActive: bool,
  IsCustom: bool,
  BaseVatCodeId: int,
});
export type SeedVatCode = z.infer<typeof seedVatCodeSchema>;

/** `ClientIntegrationInformationDto` minus ClientId/ClientName, which come from the company. */
export const seedIntegrationSchema = z.strictObject({
  ActiveClientSubscriptions: z.array(z.string()).default(['Accounting']),
  /** Privileges the integration holds on this client (v2 "Auth roles" names). */
  ValidPrivileges: z.array(z.string()).optional(),
  /** Privileges blocked for this client; "Factoring" here blocks the v1 Factoring routes. */
  InvalidPrivileges: z.array(z.string()).default([]),
});
export type SeedIntegration = z.infer<typeof seedIntegrationSchema>;

/** v1 `FactoringSetting` (camelCase, like every v1 shape). */
export const seedFactoringSettingSchema = z.strictObject({
  id: z.guid().optional(),
  interestAccountCode: z.number().int().optional(),
  expenseAccountCode: z.number().int().optional(),
  factoringCompanySupplierAccountCode: z.number().int().optional(),
});
export type SeedFactoringSetting = z.infer<typeof seedFactoringSettingSchema>;
