import type { LedgerEvent } from '../../adapters/ledger/ledger-api';
import type { AccountMapping } from '../client-settings';
import { externalImportReferenceFor } from './external-reference';
import { assertBalanced, type AccountRole, type Journal, type PlannedAccount, type PlannedLine, type VoucherPlan } from './voucher-plan';

/**
 * The posting rules of return data (returdata, brief §5): one ledger event of Factoring Finans,
 * one voucher in the client's PowerOffice GO. POSTING-RULES.md is the same as a table.
 *
 * How the accounts fit together, as the client's accountant sees them:
 * - The invoice itself is posted by PowerOffice GO when the client sends it (debit the customer,
 *   credit sales and VAT). The customer's open item stays in the client's kundereskontro until
 *   the end customer pays Factoring Finans.
 * - `receivables` (e.g. 1510, "klientens kundereskontro" hos Factoring Finans) is a clearing
 *   account: a payment moves the money from the customer's open item onto it; the balance change
 *   Factoring Finans then books for that payment ("Faktura 10023 innfridd") moves it on to the
 *   balance. When every event is posted it stands at 0; what is left is a payment Factoring Finans
 *   has received but not yet applied to the balance, which is what a reconciliation looks for.
 * - `factoringBalance` (e.g. 2990) is the balance with Factoring Finans: credit = the client owes
 *   (payouts, fees), debit = Factoring Finans owes the client (settled invoices). It must match
 *   Factoring Finans' account statement.
 *
 * Why a payment is NOT posted straight against 2990, as PowerOffice's generic factoring example
 * and reference §10's [INF] mapping do: the ledger reports a settlement twice, once as the end
 * customer's payment and once as the balance change it causes (adapters/ledger/ledger-api.ts and
 * its sample feed). Posting both against 2990 would count the money twice. The brief names the
 * clearing account for payments (1510), so each event hits 2990 at most once.
 *
 * Assumption to confirm with Factoring Finans: a fee or a payout changes the balance through its
 * own event only, never also through a balance-change event (which would count it twice).
 *
 * VAT: every line carries VAT code "0" (no VAT), as asked. Payments, payouts and balances are
 * outside VAT. Fees are financial services (merverdiavgiftsloven § 3-6, exempt) as long as Factoring
 * Finans charges no VAT on them; if it ever invoices a fee with VAT, the fee line needs an input-VAT
 * code and the gross/net split: to confirm with Factoring Finans, not to guess here.
 *
 * Sign convention (reference §10, an inference the emulator shares; still to be confirmed on
 * PowerOffice's demo, §14.3): positive = debit, negative = credit. Every rule is "debit X, credit Y" for the event's signed amount, so a
 * negative amount (a reversed payment, a refunded fee, a lowered balance) swaps the sides by
 * itself: no rule needs a second branch for refunds.
 */
export function postingFor(event: LedgerEvent, mapping: AccountMapping): VoucherPlan {
  const ledger = (role: AccountRole): PlannedAccount => ({ kind: 'ledger', accountNo: mapping[role], role });

  switch (event.type) {
    case 'payment': {
      // Bank journal: only its lines carry InvoiceNo, and PowerOffice recommends it for payments.
      // Credit the customer's sub-ledger account (not GL 1500: only the sub-ledger closes the
      // invoice's open item) with the invoice number so GO matches it; debit the clearing account.
      const reversed = event.amountOre < 0;
      const text = `${reversed ? 'Tilbakeført innbetaling' : 'Innbetaling'} faktura ${event.invoiceNo}`;
      return plan(event, 'bank', event.paidOn, `${text} via Factoring Finans`, [
        { account: ledger('receivables'), amountOre: event.amountOre, description: `${text}, mottatt av Factoring Finans` },
        { account: { kind: 'customer', customerNo: event.customerNo }, amountOre: -event.amountOre, description: text, invoiceNo: event.invoiceNo },
      ]);
    }
    case 'administrative-fee':
    case 'financial-fee': {
      // A cost for the client, owed to (deducted by) Factoring Finans: debit the fee account,
      // credit the balance. No bank movement and no open item, so a manual journal.
      const role: AccountRole = event.type === 'administrative-fee' ? 'administrativeFees' : 'financialFees';
      const kind = event.type === 'administrative-fee' ? 'administrativt' : 'finansielt';
      const what = `${event.amountOre < 0 ? `Tilbakeført ${kind}` : capitalised(kind)} gebyr`;
      const about = [singleLine(event.description), event.invoiceNo !== undefined ? `faktura ${event.invoiceNo}` : ''].filter(Boolean).join(', ');
      const text = about ? `${what}: ${about}` : what;
      return plan(event, 'manual', event.chargedOn, `${what} fra Factoring Finans`, [
        { account: ledger(role), amountOre: event.amountOre, description: text },
        { account: ledger('factoringBalance'), amountOre: -event.amountOre, description: text },
      ]);
    }
    case 'payout': {
      // Money into the client's bank account, paid out of its balance with Factoring Finans.
      // A bank journal, so the line on 1920 meets the bank statement line in GO's bank reconciliation.
      const text = event.amountOre < 0 ? 'Tilbakebetalt utbetaling fra Factoring Finans' : 'Utbetaling fra Factoring Finans';
      return plan(event, 'bank', event.paidOn, text, [
        { account: ledger('bankPayouts'), amountOre: event.amountOre, description: text },
        { account: ledger('factoringBalance'), amountOre: -event.amountOre, description: text },
      ]);
    }
    case 'balance-change': {
      // Positive raises the client's debt: credit 2990 (a liability grows by a credit). The
      // counter-entry is the clearing account that payments were debited to; the common event
      // is negative ("Faktura 10023 innfridd"): debit 2990, credit 1510, emptying the clearing.
      const about = singleLine(event.description);
      const text = `Endring i balanse hos Factoring Finans${about ? `: ${about}` : ''}`;
      return plan(event, 'manual', event.changedOn, text, [
        { account: ledger('factoringBalance'), amountOre: -event.amountOre, description: text },
        { account: ledger('receivables'), amountOre: event.amountOre, description: text },
      ]);
    }
    default:
      return unknownEvent(event);
  }
}

function plan(event: LedgerEvent, journal: Journal, voucherDate: string, description: string, lines: PlannedLine[]): VoucherPlan {
  return assertBalanced({
    eventId: event.eventId,
    eventType: event.type,
    journal,
    voucherDate,
    description,
    externalImportReference: externalImportReferenceFor(event.eventId),
    lines,
  });
}

/** Money must never be skipped silently: a new event type needs a rule before it can be posted. */
function unknownEvent(event: never): never {
  throw new Error(`no posting rule for ledger event type ${String((event as { type?: unknown }).type)}`);
}

/** The ledger's own text about a fee or change, on one line (GO shows descriptions in one row). */
function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
