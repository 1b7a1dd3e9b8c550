/**
 * Visibility (list/count) in Temporal is eventually consistent: poll until the expectation holds.
 * Not a timing assertion: the deadline only stops a broken test from hanging.
 */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, deadlineMs = 20_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  let last = await probe();
  while (!accept(last) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    last = await probe();
  }
  return last;
}
