/**
 * One broken rule in an outgoing document. `ruleId` is the official identifier (BR-*, BR-CO-*,
 * PEPPOL-EN16931-*, PEPPOL-COMMON-*, NO-R-*, UBL-*) where the rule is official, and FF-* for
 * Factoring Finans' own rules (KID, account, assignment notice) that no official artifact checks.
 * A fatal failure keeps the invoice out of distribution; a warning is shown and lets it through.
 */
export interface RuleFailure {
  ruleId: string;
  severity: 'fatal' | 'warning';
  message: string;
  /** Where in the document, e.g. "InvoiceLine 3" or "AccountingSupplierParty". */
  location?: string;
}

export function fatal(ruleId: string, message: string, location?: string): RuleFailure {
  return location === undefined ? { ruleId, severity: 'fatal', message } : { ruleId, severity: 'fatal', message, location };
}

export function warning(ruleId: string, message: string, location?: string): RuleFailure {
  return location === undefined ? { ruleId, severity: 'warning', message } : { ruleId, severity: 'warning', message, location };
}

/** A failure when the condition does not hold, none when it does. */
export function unless(condition: boolean, failure: () => RuleFailure): RuleFailure[] {
  return condition ? [] : [failure()];
}

export function isFatal(failure: RuleFailure): boolean {
  return failure.severity === 'fatal';
}

/** "BR-CO-15 (fatal, LegalMonetaryTotal): …", the form operators read in the preview and the Web UI. */
export function describeFailure(failure: RuleFailure): string {
  const where = failure.location ? `, ${failure.location}` : '';
  return `${failure.ruleId} (${failure.severity}${where}): ${failure.message}`;
}
