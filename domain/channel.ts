import type { ChannelOverride } from './client-settings';

/**
 * How an invoice reaches the end customer (MISSION.md §3), in this order:
 * the client's explicit per-customer choice; `printonly@factoringfinans.no` means letters only;
 * EHF when the receiver is registered in PEPPOL; e-mail when there is an address (alternative 1:
 * link and code, opening tracked; alternative 2: PDF attached); otherwise a letter.
 */
export type Channel = 'ehf' | 'email-link' | 'email-pdf' | 'letter';

export const PRINT_ONLY_ADDRESS = 'printonly@factoringfinans.no';

export interface ChannelFacts {
  override?: ChannelOverride;
  /** The receiver's organisation number is registered for this document type in PEPPOL. */
  receivesEhf: boolean;
  /** The customer's invoice e-mail, if any (never leaves the activity that decides). */
  email?: string;
  emailAlternative: 1 | 2;
}

export interface ChannelDecision {
  channel: Channel;
  /** Why, in words an operator reads in the Web UI. No personal data. */
  reason: string;
}

function byEmail(alternative: 1 | 2): Channel {
  return alternative === 1 ? 'email-link' : 'email-pdf';
}

export function chooseChannel(facts: ChannelFacts): ChannelDecision {
  const email = facts.email?.trim().toLowerCase() || undefined;
  if (facts.override === 'letter') return { channel: 'letter', reason: 'the client chose letter for this customer' };
  if (facts.override === 'ehf') {
    return facts.receivesEhf
      ? { channel: 'ehf', reason: 'the client chose EHF for this customer' }
      : { channel: 'letter', reason: 'the client chose EHF for this customer, but the customer is not registered for EHF: sent as a letter' };
  }
  if (facts.override === 'email') {
    return email && email !== PRINT_ONLY_ADDRESS
      ? { channel: byEmail(facts.emailAlternative), reason: 'the client chose e-mail for this customer' }
      : { channel: 'letter', reason: 'the client chose e-mail for this customer, but it has no usable e-mail address: sent as a letter' };
  }
  if (email === PRINT_ONLY_ADDRESS) return { channel: 'letter', reason: `the invoice e-mail is ${PRINT_ONLY_ADDRESS}: letters only` };
  if (facts.receivesEhf) return { channel: 'ehf', reason: 'the customer receives EHF (registered in PEPPOL)' };
  if (email) {
    return {
      channel: byEmail(facts.emailAlternative),
      reason: facts.emailAlternative === 1 ? 'e-mail with link and code (alternative 1)' : 'e-mail with the PDF attached (alternative 2)',
    };
  }
  return { channel: 'letter', reason: 'no EHF and no e-mail address' };
}
