import { inLanes } from '../../workflows/in-lanes';

/**
 * Return data posts a page's vouchers ten at a time in lanes (workflows/in-lanes.ts); a voucher
 * PowerOffice GO refuses ends the run at that voucher: no lane takes a further one, the ones in
 * flight finish, and the page is read again next time (its posted vouchers then count as already posted).
 */
describe('vouchers posted in lanes', () => {
  it('takes no further voucher once one is refused, and says the page was cut short', async () => {
    const posted: number[] = [];
    const complete = await inLanes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3, async (voucher) => {
      await Promise.resolve();
      if (voucher === 4) return false;
      posted.push(voucher);
      return true;
    });
    expect(complete).toBe(false);
    // 1-3 start together; 4 is refused; 5 and 6 were already taken by the other lanes.
    expect(posted).toEqual([1, 2, 3, 5, 6]);
  });

  it('says the page is complete when every voucher was posted', async () => {
    const posted: number[] = [];
    const complete = await inLanes([1, 2, 3, 4, 5, 6, 7], 5, async (voucher) => {
      posted.push(voucher);
      return true;
    });
    expect(complete).toBe(true);
    expect(posted).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
