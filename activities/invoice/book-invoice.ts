import { ApplicationFailure } from '@temporalio/activity';
import type { FactoringLedger } from '../../adapters/ledger/ledger-client';
import type { FactoringDocument } from '../../domain/invoice';
import { callOutside } from '../failures';

/** One booking per invoice, whatever retries, reruns or crashes happen. */
export function bookingKey(document: FactoringDocument): string {
  return `book:${document.clientId}:${document.invoiceId}`;
}

/** Books the bought invoice in Factoring Finans' ledger (MISSION.md §3). */
export function bookInvoice(ledger: FactoringLedger) {
  return async function bookInvoice({ document, kid, issueDate, dueDate }: { document: FactoringDocument; kid: string; issueDate: string; dueDate: string }) {
    if (document.customerCode === undefined) {
      throw ApplicationFailure.nonRetryable(`Invoice ${document.invoiceNo} of client ${document.clientId} has no customer number to book against`, 'InvalidInvoiceData');
    }
    const magnitude = Math.abs(document.totalAmountOre);
    return callOutside(() =>
      ledger.bookInvoice(
        {
          clientId: document.clientId,
          invoiceId: document.invoiceId,
          invoiceNo: document.invoiceNo,
          documentType: document.documentType,
          ...(document.documentType === 'CreditNote' && document.originalInvoiceNo !== undefined ? { originalInvoiceNo: document.originalInvoiceNo } : {}),
          customerNo: document.customerCode!,
          // The ledger books credit notes as negative amounts, whatever sign PowerOffice sent.
          amountOre: document.documentType === 'CreditNote' ? -magnitude : magnitude,
          currency: 'NOK',
          invoiceDate: issueDate,
          dueDate,
          kid,
        },
        bookingKey(document),
      ),
    );
  };
}
