/**
 * The eventIds this webhook process accepted lately, oldest forgotten first. A repeat is answered
 * from here without a second signal; after a restart the workflow's own eventId check does the
 * same job, so forgetting is harmless.
 */
export class RecentEvents {
  /** eventId → the invoice it named and the workflow it was signalled to; a Map iterates in insertion order, oldest first. */
  private readonly accepted = new Map<string, { invoiceKey: string; workflowId: string }>();

  constructor(private readonly capacity = 10_000) {}

  /** The workflow this eventId was signalled to, when it was accepted for this same invoice (`clientId:invoiceId`). */
  acceptedFor(eventId: string, invoiceKey: string): string | undefined {
    const known = this.accepted.get(eventId);
    if (known === undefined) return undefined;
    this.accepted.delete(eventId);
    this.accepted.set(eventId, known);
    return known.invoiceKey === invoiceKey ? known.workflowId : undefined;
  }

  remember(eventId: string, invoiceKey: string, workflowId: string): void {
    this.accepted.delete(eventId);
    this.accepted.set(eventId, { invoiceKey, workflowId });
    while (this.accepted.size > this.capacity) {
      const oldest = this.accepted.keys().next();
      if (oldest.done) break;
      this.accepted.delete(oldest.value);
    }
  }
}
