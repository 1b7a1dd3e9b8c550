/**
 * Runs `work` on every item with at most `lanes` at once, each lane taking the next item as soon as
 * its previous one ends. Unlike fixed groups of `lanes`, one slow item (a call riding out a fault
 * or a retry backoff) holds up only its own lane, not the whole group. Deterministic in a workflow:
 * items are taken in order, and Temporal orders the promises' resolution.
 */
export async function inLanes<T>(items: readonly T[], lanes: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
}
