import { randomUUID } from 'node:crypto';
import type { CompanyState, StoredVoucher, VoucherKind } from '../state';
import { bankVoucherLineSchema, manualVoucherLineSchema, type VoucherLinePost, type VoucherPost } from './voucher-bodies';

/**
 * Posting a voucher directly to the ledger, with the rules a ledger enforces: lines reference
 * existing, active accounts (GL account ids or customer sub-ledger ids) and VAT codes valid on the
 * posting date; amounts are non-zero (spec) with at most two decimals; the lines balance to zero
 * (positive = debit, negative = credit; reference §10 [INF]: Go refuses an unbalanced voucher);
 * only NOK, the one currency the emulated clients have; an `ExternalImportReference` exists once
 * per client and voucher type (reference §4: "only one instance … per client and object type").
 */
export class VoucherRefused extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly title: string,
    detail: string,
  ) {
    super(detail);
  }
}

const CURRENCY = 'NOK';

function ore(amount: number): number | undefined {
  const scaled = Math.round(amount * 100);
  return Math.abs(scaled - amount * 100) < 1e-6 ? scaled : undefined;
}

function lineProblems(company: CompanyState, line: VoucherLinePost, index: number): { missing: string[]; invalid: string[] } {
  const where = `VoucherLines[${index}]`;
  const missing: string[] = [];
  const invalid: string[] = [];
  if (line.AccountId === null) invalid.push(`${where}: AccountId is required.`);
  if (line.VatId === null) invalid.push(`${where}: VatId is required.`);
  const amount = line.CurrencyAmount ?? 0;
  if (amount === 0) invalid.push(`${where}: CurrencyAmount must be a positive or negative number, not 0.`);
  else if (ore(amount) === undefined) invalid.push(`${where}: CurrencyAmount ${amount} has more than two decimals.`);
  if (line.CurrencyCode && line.CurrencyCode !== CURRENCY) invalid.push(`${where}: currency '${line.CurrencyCode}' is not active on the client.`);
  const account = line.AccountId === null ? undefined : company.accounts.find((a) => a.Id === line.AccountId);
  const subledger = line.AccountId === null ? undefined : company.customers.find((c) => c.SubledgerAccountId === line.AccountId);
  if (line.AccountId !== null && !account && !subledger) missing.push(`Account with id = ${line.AccountId} not found.`);
  if (account && account.IsActive === false) invalid.push(`${where}: account ${account.AccountNo} is not active.`);
  const vat = line.VatId === null ? undefined : company.vatCodes.find((v) => v.Id === line.VatId);
  if (line.VatId !== null && !vat) missing.push(`Vat code with id = ${line.VatId} not found.`);
  if (vat && (vat.IsActive === false || vat.ValidFrom > line.PostingDate || (vat.ValidTo !== null && vat.ValidTo < line.PostingDate))) {
    invalid.push(`${where}: VAT code ${vat.Code} is not valid on ${line.PostingDate}.`);
  }
  if (account?.IsVatCodeLocked && vat && account.VatCodeId !== vat.Id) invalid.push(`${where}: account ${account.AccountNo} is locked to VAT code ${account.VatCode ?? account.VatCodeId}.`);
  return { missing, invalid };
}

function validate(company: CompanyState, kind: VoucherKind, body: VoucherPost): void {
  const lines = body.VoucherLines ?? [];
  const invalid: string[] = [];
  if (body.CurrencyCode === null) invalid.push('CurrencyCode is required.');
  else if (body.CurrencyCode !== CURRENCY) invalid.push(`Currency '${body.CurrencyCode}' is not active on the client.`);
  if (lines.length < 2) invalid.push('A voucher needs at least two lines that balance.');
  const checked = lines.map((line, i) => lineProblems(company, line, i));
  const missing = checked.flatMap((c) => c.missing);
  if (missing.length > 0) throw new VoucherRefused(404, 'Object(s) not found', missing.join(' '));
  invalid.push(...checked.flatMap((c) => c.invalid));
  const sum = lines.reduce((total, line) => total + (ore(line.CurrencyAmount ?? 0) ?? 0), 0);
  if (lines.length >= 2 && sum !== 0) invalid.push(`The voucher does not balance: its lines sum to ${(sum / 100).toFixed(2)} ${CURRENCY}, not 0.`);
  const reference = body.ExternalImportReference?.trim();
  const taken = reference ? [...company.vouchers.values()].find((v) => v.kind === kind && v.dto.ExternalImportReference === reference) : undefined;
  if (taken) invalid.push(`ExternalImportReference is already in use. '${reference}' is used on (voucher) Id = ${taken.dto.Id}.`);
  if (invalid.length > 0) throw new VoucherRefused(400, 'Voucher validation error(s)', invalid.join(' '));
}

/** Every member of the line DTO, nulls for what was not sent, as the GET answers it. */
function lineDto(company: CompanyState, kind: VoucherKind, line: VoucherLinePost, headerCurrency: string, createdAt: string): Record<string, unknown> {
  const members = Object.keys(kind === 'BankJournals' ? bankVoucherLineSchema.shape : manualVoucherLineSchema.shape);
  const posted = line as Record<string, unknown>;
  return {
    Id: company.nextVoucherLineId(),
    ...Object.fromEntries(members.map((m) => [m, posted[m] ?? null])),
    CurrencyAmount: line.CurrencyAmount ?? 0,
    CurrencyCode: line.CurrencyCode ?? headerCurrency,
    CreatedDateTimeOffset: createdAt,
  };
}

export function postVoucher(company: CompanyState, kind: VoucherKind, body: VoucherPost, rawRequest: unknown): StoredVoucher {
  validate(company, kind, body);
  const createdAt = new Date().toISOString();
  const currency = body.CurrencyCode ?? CURRENCY;
  const dto: StoredVoucher['dto'] = {
    Id: randomUUID(),
    VoucherNo: company.nextVoucherNumber(),
    VoucherDate: body.VoucherDate,
    CurrencyCode: currency,
    Description: body.Description ?? null,
    ExternalImportReference: body.ExternalImportReference?.trim() || null,
    ImportedVoucherNo: body.ImportedVoucherNo ?? null,
    SaftBatchId: body.SaftBatchId ?? null,
    SaftSourceId: body.SaftSourceId ?? null,
    IsReversed: false,
    CreatedDateTimeOffset: createdAt,
    VoucherLines: (body.VoucherLines ?? []).map((line) => lineDto(company, kind, line, currency, createdAt)),
  };
  const stored: StoredVoucher = { kind, dto, request: rawRequest };
  company.vouchers.set(dto.Id, stored);
  return stored;
}
