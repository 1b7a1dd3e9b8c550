import type { Response } from 'got';
import { z } from 'zod';
import { ExternalServiceError } from '../external-service-error';
import { safeJson, type AuthenticatedApi } from './authenticated-api';
import {
  camelizeKeys,
  describeZodError,
  factoringInvoiceDetailsSchema,
  factoringSettingSchema,
  v1FailureSchema,
  v1ListSchema,
  v1SingleSchema,
  type FactoringInvoiceDetails,
  type FactoringInvoiceStatus,
  type FactoringSetting,
  factoringInvoiceStatusNames,
} from './v1-schemas';

export interface AvailableInvoicesPage {
  invoices: FactoringInvoiceDetails[];
  /**
   * Records of this page that are not an invoice we can read (a field in an unexpected form): each
   * is that one invoice's problem, reported with its reason, never the whole page's.
   */
  unreadable: UnreadableInvoiceRecord[];
  /** How many records the page held, readable or not (the cursor moves past all of them). */
  records: number;
  /** The highest invoice number on the page, readable record or not: where the next page starts. */
  lastInvoiceNo?: number;
  /** Size of the whole filtered set, as PowerOffice reports it in `count`. */
  total: number;
}

/** A record of an invoice list that did not parse; its number and id when those could be read. */
export interface UnreadableInvoiceRecord {
  invoiceNo?: number;
  id?: string;
  reason: string;
}

export interface DeliveredReport {
  invoiceId: string;
  kid: string;
  pdf: { base64: string; fileName: string };
  comment: string;
}

/** PowerOffice GO v1 Factoring API for one client company (reference: poweroffice-v1-factoring.md). */
export interface PowerOfficeV1Port {
  availableInvoices(page: { afterInvoiceNo?: number; top: number }): Promise<AvailableInvoicesPage>;
  invoiceEhf(invoiceId: string): Promise<string>;
  markDelivered(report: DeliveredReport): Promise<FactoringInvoiceDetails>;
  updateStatus(invoiceId: string, status: Exclude<FactoringInvoiceStatus, 'Unspecified'>, description?: string): Promise<FactoringInvoiceDetails>;
  invoicesDelivered(page: { afterInvoiceNo?: number; top: number }): Promise<AvailableInvoicesPage>;
  factoringSettings(): Promise<FactoringSetting[]>;
}

/** The list's envelope strictly, its records one by one (invoiceList): one bad record is not a bad page. */
const invoiceListSchema = v1ListSchema(z.unknown());
const invoiceSingleSchema = v1SingleSchema(factoringInvoiceDetailsSchema);
const settingsListSchema = v1ListSchema(factoringSettingSchema);

/** v1 refusals outside the 200/success:false convention (401, 403, 404): show what there is. */
export function explainV1Refusal(_status: number, body: string): string {
  const json = camelizeKeys(safeJson(body));
  const failure = v1FailureSchema.safeParse(json);
  if (failure.success && failure.data.validation) return validationText(failure.data.validation);
  if (json && typeof json === 'object' && 'message' in json) return String((json).message);
  return body.trim().slice(0, 300) || 'no reason given';
}

function validationText(v: z.infer<typeof v1FailureSchema>['validation']): string {
  const text = [v?.summary, v?.exception && `(${v.exception})`, v?.errorLogReference && `[PowerOffice log reference ${v.errorLogReference}]`]
    .filter(Boolean)
    .join(' ');
  return text || 'no reason given';
}

function pagingParams(page: { afterInvoiceNo?: number; top: number }): Record<string, string> {
  // $skip needs $top and $orderby (reference §2); the cursor filter keeps pages stable as invoices come and go.
  const params: Record<string, string> = { $orderby: 'InvoiceNo asc', $top: String(page.top), $skip: '0' };
  if (page.afterInvoiceNo !== undefined) params.$filter = `(InvoiceNo gt ${page.afterInvoiceNo})`;
  return params;
}

export class PowerOfficeV1Client implements PowerOfficeV1Port {
  constructor(
    private readonly api: AuthenticatedApi,
    private readonly baseUrl: string,
  ) {}

  async availableInvoices(page: { afterInvoiceNo?: number; top: number }): Promise<AvailableInvoicesPage> {
    return this.invoiceList('Factoring/AvailableInvoices/', page);
  }

  async invoicesDelivered(page: { afterInvoiceNo?: number; top: number }): Promise<AvailableInvoicesPage> {
    return this.invoiceList('Factoring/InvoicesDelivered/', page);
  }

  async invoiceEhf(invoiceId: string): Promise<string> {
    const path = `Factoring/InvoiceEhf/${encodeURIComponent(invoiceId)}/`;
    const response = await this.api.call({ method: 'GET', url: this.url(path), label: `GET ${path}` });
    const text = response.body.trim();
    if (text.startsWith('<')) return response.body;
    // Not XML: a v1 failure in the JSON wrapper, or nothing.
    this.unwrap(response, `GET ${path}`);
    throw new ExternalServiceError('PowerOffice GO', `GET ${path} returned no EHF document`, false, response.statusCode);
  }

  async markDelivered(report: DeliveredReport): Promise<FactoringInvoiceDetails> {
    const label = 'POST Factoring/delivered';
    const response = await this.api.call({
      method: 'POST',
      url: this.url('Factoring/delivered/'),
      label,
      json: {
        factoringInvoiceId: report.invoiceId,
        invoiceCid: report.kid,
        file: { base64EncodedData: report.pdf.base64, fileName: report.pdf.fileName },
        comment: report.comment,
      },
    });
    return this.parse(invoiceSingleSchema, this.unwrap(response, label), label).data;
  }

  async updateStatus(invoiceId: string, status: Exclude<FactoringInvoiceStatus, 'Unspecified'>, description?: string): Promise<FactoringInvoiceDetails> {
    const label = 'POST Factoring/updatefactoringinvoicestatus';
    const response = await this.api.call({
      method: 'POST',
      url: this.url('Factoring/updatefactoringinvoicestatus/'),
      label,
      json: {
        factoringInvoiceId: invoiceId,
        // Enums travel as numbers in v1 (reference §7: likely, unverified); the emulator accepts both.
        factoringInvoiceStatus: factoringInvoiceStatusNames.indexOf(status),
        ...(description !== undefined ? { factoringInvoiceStatusDescription: description } : {}),
      },
    });
    return this.parse(invoiceSingleSchema, this.unwrap(response, label), label).data;
  }

  async factoringSettings(): Promise<FactoringSetting[]> {
    const label = 'GET Factoring/';
    const response = await this.api.call({ method: 'GET', url: this.url('Factoring/'), label });
    const body = this.unwrap(response, label);
    return body === undefined ? [] : this.parse(settingsListSchema, body, label).data;
  }

  private async invoiceList(path: string, page: { afterInvoiceNo?: number; top: number }): Promise<AvailableInvoicesPage> {
    const label = `GET ${path}`;
    const response = await this.api.call({ method: 'GET', url: this.url(path), label, searchParams: pagingParams(page) });
    const body = this.unwrap(response, label);
    if (body === undefined) return { invoices: [], unreadable: [], records: 0, total: 0 };
    const list = this.parse(invoiceListSchema, body, label);
    const invoices: FactoringInvoiceDetails[] = [];
    const unreadable: UnreadableInvoiceRecord[] = [];
    let lastInvoiceNo: number | undefined;
    for (const record of list.data) {
      const { invoiceNo, id } = recordIdentity(record);
      if (invoiceNo !== undefined) lastInvoiceNo = Math.max(lastInvoiceNo ?? invoiceNo, invoiceNo);
      const parsed = factoringInvoiceDetailsSchema.safeParse(record);
      if (parsed.success) invoices.push(parsed.data);
      else unreadable.push({ ...(invoiceNo !== undefined ? { invoiceNo } : {}), ...(id !== undefined ? { id } : {}), reason: `PowerOffice GO sent it in an unexpected form: ${describeZodError(parsed.error)}` });
    }
    return { invoices, unreadable, records: list.data.length, ...(lastInvoiceNo !== undefined ? { lastInvoiceNo } : {}), total: list.count };
  }

  private url(path: string): URL {
    return new URL(path, this.baseUrl);
  }

  /** The v1 wrapper: business and parameter errors come back as HTTP 200 with `success: false`. */
  private unwrap(response: Response<string>, label: string): unknown {
    if (response.statusCode === 204 || response.body.trim() === '') return undefined;
    const body = camelizeKeys(safeJson(response.body));
    if (body === undefined) throw new ExternalServiceError('PowerOffice GO', `${label} did not answer with JSON`, false, response.statusCode);
    const failure = v1FailureSchema.safeParse(body);
    if (failure.success) {
      throw new ExternalServiceError('PowerOffice GO', `${label} was refused: ${validationText(failure.data.validation)}`, false, response.statusCode);
    }
    return body;
  }

  private parse<T extends z.ZodType>(schema: T, body: unknown, label: string): z.infer<T> {
    const result = schema.safeParse(body);
    if (!result.success) {
      throw new ExternalServiceError('PowerOffice GO', `${label} answered in an unexpected shape: ${describeZodError(result.error)}`, false);
    }
    return result.data;
  }
}

/** What can be read of a record that may not parse: enough to name it to a person and to page past it. */
function recordIdentity(record: unknown): { invoiceNo?: number; id?: string } {
  if (record === null || typeof record !== 'object') return {};
  const { invoiceNo, id } = record as Record<string, unknown>;
  return {
    ...(typeof invoiceNo === 'number' && Number.isSafeInteger(invoiceNo) && invoiceNo > 0 ? { invoiceNo } : {}),
    ...(typeof id === 'string' && id.length <= 64 ? { id } : {}),
  };
}
