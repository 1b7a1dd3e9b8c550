import { type SeedAccount, type SeedAddress, type SeedCustomer, type SeedVatCode, seedAccountSchema, seedAddressSchema, seedCustomerSchema, seedVatCodeSchema } from '../seed-v2';

/**
 * Seed records → the v2 DTOs the API serves: every property of the spec's schema present, the
 * ones the seed leaves out as null (ASP.NET sends nulls), read-only timestamps and ids filled in.
 */
type Filled<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };
export type ContactAddressDto = Filled<SeedAddress>;
export type CustomerDto = Filled<Omit<SeedCustomer, 'MailAddress'>> & { MailAddress: ContactAddressDto };
export type GeneralLedgerAccountDto = Filled<SeedAccount> & { Unit1: null; Unit2: null; AgricultureDepartment: null; VatReturnSpecification: null };
export type VatCodeDto = Filled<SeedVatCode> & { VatBasisRatio: null; VatBasisRatioValidFrom: null; VatBasisRatios: null };

function withNulls<T extends Record<string, unknown>>(keys: string[], values: Partial<T>): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, (values as Record<string, unknown>)[key] ?? null]));
}

export interface CustomerIds {
  Id: number;
  SubledgerAccountId: number;
  addressId: number;
  /** ISO timestamp used for read-only timestamps the seed leaves out. */
  now: string;
}

export function toCustomerDto(seed: SeedCustomer, ids: CustomerIds): CustomerDto {
  const address = seed.MailAddress ?? {};
  const MailAddress = {
    ...withNulls(Object.keys(seedAddressSchema.shape), address),
    Id: address.Id ?? ids.addressId,
    CountryCode: address.CountryCode ?? 'NO',
    LastChangedDateTimeOffset: address.LastChangedDateTimeOffset ?? ids.now,
  } as ContactAddressDto;
  return {
    ...withNulls(Object.keys(seedCustomerSchema.shape), seed),
    Id: ids.Id,
    SubledgerAccountId: ids.SubledgerAccountId,
    ContactCreatedDateTimeOffset: seed.ContactCreatedDateTimeOffset ?? ids.now,
    CustomerCreatedDateTimeOffset: seed.CustomerCreatedDateTimeOffset ?? ids.now,
    LastChangedDateTimeOffset: seed.LastChangedDateTimeOffset ?? ids.now,
    MailAddress,
  } as CustomerDto;
}

export function toAccountDto(seed: SeedAccount, now: string): GeneralLedgerAccountDto {
  return {
    ...withNulls(Object.keys(seedAccountSchema.shape), seed),
    Unit1: null,
    Unit2: null,
    AgricultureDepartment: null,
    VatReturnSpecification: null,
    LastChangedDateTimeOffset: seed.LastChangedDateTimeOffset ?? now,
  } as GeneralLedgerAccountDto;
}

export function toVatCodeDto(seed: SeedVatCode): VatCodeDto {
  return { ...withNulls(Object.keys(seedVatCodeSchema.shape), seed), VatBasisRatio: null, VatBasisRatioValidFrom: null, VatBasisRatios: null } as VatCodeDto;
}
