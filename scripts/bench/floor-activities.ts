/**
 * The floor's activities: each does nothing. They stand for our fetch of a page and an invoice's
 * assess, book and send, so what remains is what Temporal and the SDK cost (scripts/bench/floor-workflows.ts).
 */
export const floorActivities = {
  async fetchPage(): Promise<void> {},
  async assess(): Promise<void> {},
  async book(): Promise<void> {},
  async send(): Promise<void> {},
};
export type FloorActivities = typeof floorActivities;
