/** The floor's workflow ids, shared by its workflows and the bench (which must not load workflow code). */
export function floorChildId(batchId: string, index: number): string {
  return `${batchId}-invoice-${index}`;
}
