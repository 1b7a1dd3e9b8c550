import { Context } from '@temporalio/activity';
import { INVOICES_BY_KID_MAX, ledgerKidSchema, type KidInvoice } from '../../adapters/ledger/ledger-api';
import type { FactoringLedger } from '../../adapters/ledger/ledger-client';
import { asTransaction, matchPayments, type OcrPayment } from '../../domain/ocr-giro';
import { readOcrPayments, type UnusablePayment } from '../../domain/ocr-giro/import-input';
import { callOutside } from '../failures';

/** The invoice a payment pays, as the workflow carries it: identifiers only. */
export interface PaidInvoice {
  clientId: string;
  invoiceId: string;
  invoiceNo: number;
}

export interface MatchedOcrPayment {
  payment: OcrPayment;
  invoice: PaidInvoice;
}

/** Kept aside for an operator: never registered automatically, never dropped. */
export interface KeptAsideOcrPayment {
  line: number;
  identity: string;
  amountOre: number;
  kid: string | null;
  status: 'unmatched' | 'ambiguous' | 'duplicate';
  /** e.g. 'no-invoice', 'invalid-kid', 'several-invoices', 'repeated-in-file', 'refused-by-ledger', 'unusable' (the import could not take it). */
  reason: string;
  /** The whole sentence an operator reads, beginning with the line in the file. */
  explanation: string;
  /** Ambiguous only: the invoices the KID names. */
  candidates?: { clientId: string; invoiceNo: number }[];
}

export interface OcrMatching {
  matched: MatchedOcrPayment[];
  keptAside: KeptAsideOcrPayment[];
}

/** What the workflow asks to register: the match, and the import that sends it. */
export interface OcrPaymentRegistration extends MatchedOcrPayment {
  /**
   * The import's identity (its workflow id), kept by the ledger with the payment. Absent in
   * activities scheduled by an import started before it existed: the activity's workflow id then.
   */
  importId?: string;
}

export interface RegisteredOcrPayment {
  /** The ledger's `payment` event: return data posts it to the client's PowerOffice GO. */
  eventId: string;
  /**
   * The ledger had the transaction already: from another file, or from this import's own earlier
   * attempt whose answer was lost. `registeredBy` tells which.
   */
  replayed: boolean;
  /** The import that registered it first, as the ledger keeps it; absent for a payment registered without one. */
  registeredBy?: string;
}

function keptAsideAsUnusable(payment: UnusablePayment): KeptAsideOcrPayment {
  return {
    line: payment.line ?? 0,
    identity: payment.identity,
    amountOre: payment.amountOre,
    kid: payment.kid,
    status: 'unmatched',
    reason: 'unusable',
    explanation: `${payment.errors.map((error) => error.message).join('; ')}: the import cannot take this transaction, so it is kept aside for a person`,
  };
}

const paidInvoice = (invoice: KidInvoice): PaidInvoice => ({ clientId: invoice.clientId, invoiceId: invoice.invoiceId, invoiceNo: invoice.invoiceNo });

export function createOcrImportActivities(deps: { ledger: FactoringLedger }) {
  return {
    /**
     * Reads each of a file's payments (the import workflow does not: zod would be evaluated for
     * every open workflow) and matches the ones it takes by KID against the invoices booked in
     * Factoring Finans' ledger (domain/ocr-giro matchPayments), asking the ledger for 100 KIDs at a
     * time. A payment it cannot take is kept aside with its reasons, never failing the file.
     */
    async matchOcrPayments({ payments: rawPayments }: { payments: readonly unknown[] }): Promise<OcrMatching> {
      const { usable: payments, unusable } = readOcrPayments(rawPayments);
      // Only KIDs the ledger can look up: any other (too short, say) is of no invoice, and matching keeps it aside with its reason.
      const kids = [...new Set(payments.flatMap((payment) => (payment.kid === null ? [] : [payment.kid])))].filter((kid) => ledgerKidSchema.safeParse(kid).success);
      const byKid = new Map<string, KidInvoice[]>();
      for (let i = 0; i < kids.length; i += INVOICES_BY_KID_MAX) {
        const invoices = await callOutside(() => deps.ledger.invoicesByKid(kids.slice(i, i + INVOICES_BY_KID_MAX)));
        for (const invoice of invoices) byKid.set(invoice.kid, [...(byKid.get(invoice.kid) ?? []), invoice]);
      }
      const paymentOf = new Map(payments.map((payment) => [payment.identity, payment]));
      const matching = matchPayments(payments.map(asTransaction), (kid) => byKid.get(kid) ?? []);
      return {
        matched: matching.matched.map((outcome) => ({ payment: paymentOf.get(outcome.identity)!, invoice: paidInvoice(outcome.invoice) })),
        keptAside: matching.keptAside.map((outcome): KeptAsideOcrPayment => ({
          line: outcome.transaction.line,
          identity: outcome.identity,
          amountOre: outcome.transaction.amountOre,
          kid: outcome.transaction.kid,
          status: outcome.status,
          reason: outcome.status === 'ambiguous' ? 'several-invoices' : outcome.reason,
          explanation: outcome.explanation,
          ...(outcome.status === 'ambiguous' ? { candidates: outcome.candidates.map(({ clientId, invoiceNo }) => ({ clientId, invoiceNo })) } : {}),
        })).concat(unusable.map(keptAsideAsUnusable)),
      };
    },

    /** Registers one matched payment in the ledger, once per transaction identity, naming the import that sends it. */
    async registerOcrPayment({ payment, invoice, importId }: OcrPaymentRegistration): Promise<RegisteredOcrPayment> {
      const sender = importId ?? Context.current().info.workflowExecution?.workflowId;
      const receipt = await callOutside(() =>
        deps.ledger.registerPayment(
          invoice.clientId,
          // A KID of no invoice is never matched, so a matched payment always has one.
          { invoiceId: invoice.invoiceId, kid: payment.kid ?? '', amountOre: payment.amountOre, paidOn: payment.netsDate, ...(sender === undefined ? {} : { importId: sender }) },
          payment.identity,
        ),
      );
      return { eventId: receipt.eventId, replayed: receipt.replayed, ...(receipt.importId === undefined ? {} : { registeredBy: receipt.importId }) };
    },
  };
}
