/**
 * Runs `work` on every item with at most `lanes` at once, each lane taking the next item as soon as
 * its previous one ends. Unlike fixed groups of `lanes`, one slow item (a call riding out a fault
 * or a retry backoff) holds up only its own lane, not the whole group. Deterministic in a workflow:
 * items are taken in order, and Temporal orders the promises' resolution.
 *
 * `work` answering `false` stops the lanes from taking further items (those in flight finish);
 * the result says whether every item was worked on and none answered `false`.
 */
export async function inLanes<T>(items: readonly T[], lanes: number, work: (item: T) => Promise<boolean | void>): Promise<boolean> {
  let next = 0;
  let stopped = false;
  const lane = async (): Promise<void> => {
    while (!stopped && next < items.length) {
      const item = items[next] as T;
      next += 1;
      if ((await work(item)) === false) stopped = true;
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  return !stopped;
}
