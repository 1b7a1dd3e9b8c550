import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeEhf } from './ehf/synthesize-ehf';
import { EHF_FIXTURE_DIR, type PowerOfficeSeed, type SeedCompany, type SeedInvoice } from './fixture-schema';
import { V2_PRIVILEGES } from './seed-defaults';
import type { SeedCustomer, SeedFactoringSetting } from './seed-v2';
import { type CustomerDto, type GeneralLedgerAccountDto, toAccountDto, toCustomerDto, toVatCodeDto, type VatCodeDto } from './v2/dtos';

/**
 * The emulator's memory: one CompanyState per client (one client key = one Go company), each with
 * its invoices and what the service wrote back (KIDs, PDFs, statuses, vouchers). Both listeners
 * (v1, v2) and the admin API share it.
 */
export class SeedError extends Error {}

export interface DeliveryRecord {
  invoiceCid: string | null;
  comment: string | null;
  file: { fileName: string; base64EncodedData: string; bytes: number } | null;
  deliveredAt: string;
}

export interface StatusChange {
  factoringInvoiceStatus: number;
  factoringInvoiceStatusDescription: string | null;
  at: string;
}

export interface InvoiceRecord {
  /** The v1 invoice as seeded, updated by `delivered` and `updatefactoringinvoicestatus`. */
  invoice: SeedInvoice;
  ehfXml: string;
  delivery: DeliveryRecord | null;
  statusHistory: StatusChange[];
  /** `POST /Factoring/delivered/` calls naming this invoice, refused ones included. */
  deliveredCalls: number;
}

export type VoucherKind = 'BankJournals' | 'ManualJournals';

export interface StoredVoucher {
  kind: VoucherKind;
  /** What `GET /v2/Vouchers/{kind}/{id}` serves (BankVoucherDto / ManualVoucherDto). */
  dto: Record<string, unknown> & { Id: string; VoucherNo: number; ExternalImportReference: string | null };
  /** The request body as received, for tests that check what the client sent. */
  request: unknown;
}

export interface Integration {
  ActiveClientSubscriptions: string[];
  ValidPrivileges: string[];
  InvalidPrivileges: string[];
}

function firstFree(used: Set<number>, from: number): number {
  let id = from;
  while (used.has(id)) id += 1;
  used.add(id);
  return id;
}

export class CompanyState {
  readonly clientId: string;
  readonly clientKey: string;
  readonly name: string;
  readonly organizationNumber: string;
  readonly invoices: InvoiceRecord[] = [];
  readonly customers: CustomerDto[] = [];
  readonly accounts: GeneralLedgerAccountDto[];
  readonly vatCodes: VatCodeDto[];
  readonly factoringSettings: SeedFactoringSetting[];
  integration: Integration;
  readonly vouchers = new Map<string, StoredVoucher>();
  private nextVoucherNo = 1;
  private nextLineId = 1;
  /** Contact ids, address ids and account ids (GL and sub-ledger) in use, so new ones never clash. */
  private readonly usedIds = new Set<number>();

  constructor(seed: SeedCompany) {
    this.clientId = seed.clientId;
    this.clientKey = seed.clientKey;
    this.name = seed.name;
    this.organizationNumber = seed.organizationNumber;
    const now = new Date().toISOString();
    this.accounts = seed.generalLedgerAccounts.map((a) => toAccountDto(a, now));
    this.vatCodes = seed.vatCodes.map(toVatCodeDto);
    this.factoringSettings = seed.factoringSettings;
    const info = seed.clientIntegrationInformation;
    this.integration = { ActiveClientSubscriptions: info.ActiveClientSubscriptions, ValidPrivileges: info.ValidPrivileges ?? [...V2_PRIVILEGES], InvalidPrivileges: info.InvalidPrivileges };
    for (const account of this.accounts) this.claimId(account.Id, `GeneralLedgerAccount Id ${account.Id}`);
    this.addCustomers(seed.customers);
    this.addInvoices(seed.availableInvoices);
  }

  /** Adds customers; ids left out are assigned, ids given must not be in use. */
  addCustomers(seeds: SeedCustomer[]): CustomerDto[] {
    const numbers = new Set(this.customers.map((c) => c.Number));
    for (const seed of seeds) {
      if (numbers.has(seed.Number)) throw new SeedError(`client ${this.clientId} already has customer number ${seed.Number}`);
      numbers.add(seed.Number);
      if (seed.Id !== undefined) this.claimId(seed.Id, `customer Id ${seed.Id}`);
      if (seed.SubledgerAccountId !== undefined) this.claimId(seed.SubledgerAccountId, `SubledgerAccountId ${seed.SubledgerAccountId}`);
      if (seed.MailAddress?.Id !== undefined) this.claimId(seed.MailAddress.Id, `MailAddress Id ${seed.MailAddress.Id}`);
    }
    const now = new Date().toISOString();
    return seeds.map((seed) => {
      const dto = toCustomerDto(seed, {
        Id: seed.Id ?? firstFree(this.usedIds, 3_900_001),
        SubledgerAccountId: seed.SubledgerAccountId ?? firstFree(this.usedIds, 5_900_001),
        addressId: seed.MailAddress?.Id ?? firstFree(this.usedIds, 6_900_001),
        now,
      });
      this.customers.push(dto);
      return dto;
    });
  }

  addInvoices(seeds: SeedInvoice[]): InvoiceRecord[] {
    const ids = new Set(this.invoices.map((r) => r.invoice.id.toLowerCase()));
    for (const invoice of seeds) {
      if (ids.has(invoice.id.toLowerCase())) throw new SeedError(`client ${this.clientId} already has invoice ${invoice.id}`);
      ids.add(invoice.id.toLowerCase());
    }
    return seeds.map((invoice) => {
      const record: InvoiceRecord = { invoice: { ...invoice }, ehfXml: this.ehfOf(invoice), delivery: null, statusHistory: [], deliveredCalls: 0 };
      this.invoices.push(record);
      return record;
    });
  }

  findInvoice(id: string): InvoiceRecord | undefined {
    return this.invoices.find((r) => r.invoice.id.toLowerCase() === id.toLowerCase());
  }

  customerByNumber(number: unknown): CustomerDto | undefined {
    return this.customers.find((c) => c.Number === number);
  }

  nextVoucherNumber(): number {
    return this.nextVoucherNo++;
  }

  nextVoucherLineId(): number {
    return this.nextLineId++;
  }

  private ehfOf(invoice: SeedInvoice): string {
    if (invoice.ehfXml) return invoice.ehfXml;
    if (invoice.ehfFile) return readFileSync(join(EHF_FIXTURE_DIR, invoice.ehfFile), 'utf8');
    const customer = this.customerByNumber(invoice.customerCode);
    return synthesizeEhf({ name: this.name, organizationNumber: this.organizationNumber }, invoice, customer);
  }

  private claimId(id: number, what: string): void {
    if (this.usedIds.has(id)) throw new SeedError(`client ${this.clientId}: ${what} is used twice (ids of accounts, sub-ledgers, contacts and addresses must be unique)`);
    this.usedIds.add(id);
  }
}

export class EmulatorState {
  readonly applicationKey: string;
  readonly subscriptionKey: string;
  private readonly companies = new Map<string, CompanyState>();

  constructor(seed: PowerOfficeSeed) {
    this.applicationKey = seed.applicationKey;
    this.subscriptionKey = seed.subscriptionKey;
    for (const company of seed.companies) this.addCompany(company);
  }

  addCompany(seed: SeedCompany): CompanyState {
    if (this.companies.has(seed.clientId)) throw new SeedError(`clientId ${seed.clientId} is seeded twice`);
    if (this.byClientKey(seed.clientKey)) throw new SeedError(`client key of ${seed.clientId} is already used by another client`);
    const company = new CompanyState(seed);
    this.companies.set(seed.clientId, company);
    return company;
  }

  all(): CompanyState[] {
    return [...this.companies.values()];
  }

  byClientId(clientId: string): CompanyState | undefined {
    return this.companies.get(clientId);
  }

  byClientKey(clientKey: string): CompanyState | undefined {
    return this.all().find((c) => c.clientKey === clientKey);
  }
}
