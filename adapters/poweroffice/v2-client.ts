import type { Response } from 'got';
import { z } from 'zod';
import { ExternalServiceError } from '../external-service-error';
import { safeJson, type AuthenticatedApi } from './authenticated-api';
import { camelizeKeys, describeZodError } from './v1-schemas';
import {
  clientIntegrationInformationSchema,
  customerSchema,
  generalLedgerAccountSchema,
  postedVoucherSchema,
  problemDetailsSchema,
  vatCodeSchema,
  type ClientIntegrationInformation,
  type Customer,
  type GeneralLedgerAccount,
  type PostedVoucher,
  type VatCode,
  type Voucher,
  type VoucherLine,
} from './v2-schemas';

/** PowerOffice GO v2 for one client company (reference: poweroffice.md §2–5, §10). */
export interface PowerOfficeV2Port {
  clientIntegrationInformation(): Promise<ClientIntegrationInformation>;
  /** The client's access token, obtained (one token request) unless cached: whether this environment accepts the key. */
  obtainToken(): Promise<void>;
  customersByNumber(customerNos: number[]): Promise<Customer[]>;
  generalLedgerAccounts(accountNos: number[]): Promise<GeneralLedgerAccount[]>;
  vatCodes(): Promise<VatCode[]>;
  postBankJournal(voucher: Voucher): Promise<PostedVoucher>;
  postManualJournal(voucher: Voucher): Promise<PostedVoucher>;
}

/** ProblemDetails (RFC 7807) in PowerOffice's words: "title: detail". */
export function explainV2Refusal(status: number, body: string): string {
  const problem = problemDetailsSchema.safeParse(camelizeKeys(safeJson(body)));
  if (problem.success && (problem.data.title || problem.data.detail)) {
    return [problem.data.title, problem.data.detail].filter(Boolean).join(': ');
  }
  return body.trim().slice(0, 300) || `HTTP ${status} without a reason`;
}

/** Øre to the API's decimal number: exact for every amount below 2^53 øre. */
function kronerFromOre(ore: number): number {
  if (!Number.isSafeInteger(ore)) throw new Error(`amount in øre must be a safe integer, got ${ore}`);
  return Number(`${ore < 0 ? '-' : ''}${Math.floor(Math.abs(ore) / 100)}.${String(Math.abs(ore) % 100).padStart(2, '0')}`);
}

function voucherBody(voucher: Voucher, bank: boolean): Record<string, unknown> {
  const sum = voucher.lines.reduce((total, line) => total + line.amountOre, 0);
  if (sum !== 0) throw new Error(`voucher ${voucher.externalImportReference} does not balance: lines sum to ${sum} øre`);
  return {
    VoucherDate: voucher.voucherDate,
    CurrencyCode: voucher.currencyCode,
    Description: voucher.description,
    ExternalImportReference: voucher.externalImportReference,
    VoucherLines: voucher.lines.map((line: VoucherLine) => ({
      AccountId: line.accountId,
      CurrencyAmount: kronerFromOre(line.amountOre),
      PostingDate: line.postingDate,
      VatId: line.vatId,
      ...(line.description !== undefined ? { Description: line.description } : {}),
      ...(line.externalLineReference !== undefined ? { ExternalLineReference: line.externalLineReference } : {}),
      ...(bank && line.invoiceNo !== undefined ? { InvoiceNo: String(line.invoiceNo) } : {}),
      ...(bank && line.cid !== undefined ? { Cid: line.cid } : {}),
    })),
  };
}

const PAGE_SIZE = 1000;

export class PowerOfficeV2Client implements PowerOfficeV2Port {
  constructor(
    private readonly api: AuthenticatedApi,
    private readonly baseUrl: string,
  ) {}

  async clientIntegrationInformation(): Promise<ClientIntegrationInformation> {
    return this.getOne('ClientIntegrationInformation', clientIntegrationInformationSchema);
  }

  async obtainToken(): Promise<void> {
    await this.api.accessToken();
  }

  customersByNumber(customerNos: number[]): Promise<Customer[]> {
    return this.getAll('Customers', customerSchema, { customerNos: customerNos.join(',') });
  }

  generalLedgerAccounts(accountNos: number[]): Promise<GeneralLedgerAccount[]> {
    return this.getAll('GeneralLedgerAccounts', generalLedgerAccountSchema, { accountNos: accountNos.join(',') });
  }

  vatCodes(): Promise<VatCode[]> {
    return this.getAll('VatCodes', vatCodeSchema, {});
  }

  postBankJournal(voucher: Voucher): Promise<PostedVoucher> {
    return this.post('Vouchers/BankJournals', voucherBody(voucher, true), postedVoucherSchema);
  }

  postManualJournal(voucher: Voucher): Promise<PostedVoucher> {
    return this.post('Vouchers/ManualJournals', voucherBody(voucher, false), postedVoucherSchema);
  }

  private async getOne<T extends z.ZodType>(path: string, schema: T): Promise<z.infer<T>> {
    const response = await this.api.call({ method: 'GET', url: this.url(path), label: `GET ${path}` });
    return this.parse(schema, response, `GET ${path}`);
  }

  /** Pages with PageNumber/PageSize (OData $top/$skip are refused by v2); 204 means no rows. */
  private async getAll<T extends z.ZodType>(path: string, schema: T, filters: Record<string, string>): Promise<z.infer<T>[]> {
    const rows: z.infer<T>[] = [];
    for (let pageNumber = 1; ; pageNumber += 1) {
      const label = `GET ${path}`;
      const response = await this.api.call({
        method: 'GET',
        url: this.url(path),
        label,
        searchParams: { ...filters, PageNumber: String(pageNumber), PageSize: String(PAGE_SIZE) },
      });
      if (response.statusCode === 204 || response.body.trim() === '') return rows;
      const page = this.parse(z.array(schema), response, label);
      rows.push(...page);
      if (page.length < PAGE_SIZE) return rows;
    }
  }

  private async post<T extends z.ZodType>(path: string, body: Record<string, unknown>, schema: T): Promise<z.infer<T>> {
    const label = `POST ${path}`;
    const response = await this.api.call({ method: 'POST', url: this.url(path), label, json: body });
    return this.parse(schema, response, label);
  }

  private url(path: string): URL {
    return new URL(path, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
  }

  private parse<T extends z.ZodType>(schema: T, response: Response<string>, label: string): z.infer<T> {
    const body = camelizeKeys(safeJson(response.body));
    const result = schema.safeParse(body);
    if (!result.success) {
      throw new ExternalServiceError('PowerOffice GO', `${label} answered in an unexpected shape: ${describeZodError(result.error)}`, false);
    }
    return result.data;
  }
}
