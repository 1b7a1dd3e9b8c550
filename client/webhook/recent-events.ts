/**
 * The eventIds this webhook process accepted lately, oldest forgotten first. A repeat is answered
 * from here without a second signal; after a restart the workflow's own eventId check does the
 * same job, so forgetting is harmless.
 */
export class RecentEvents {
  /** eventId → workflow it was signalled to; a Map iterates in insertion order, oldest first. */
  private readonly accepted = new Map<string, string>();

  constructor(private readonly capacity = 10_000) {}

  /** True when this eventId was accepted for this same workflow. */
  wasAccepted(eventId: string, workflowId: string): boolean {
    const known = this.accepted.get(eventId);
    if (known === undefined) return false;
    this.accepted.delete(eventId);
    this.accepted.set(eventId, known);
    return known === workflowId;
  }

  remember(eventId: string, workflowId: string): void {
    this.accepted.delete(eventId);
    this.accepted.set(eventId, workflowId);
    while (this.accepted.size > this.capacity) {
      const oldest = this.accepted.keys().next();
      if (oldest.done) break;
      this.accepted.delete(oldest.value);
    }
  }
}
