import { readReturnDataInput } from '../../workflows/return-data-workflow';

/** The return-data run's input, checked in the workflow without zod (it comes from schedules and operators). */
describe("the return-data run's input", () => {
  test("the schedule's {} takes the defaults", () => {
    expect(readReturnDataInput({})).toEqual({ ok: true, input: { force: false, pageSize: 100, reportWaitMs: 21_600_000 } });
  });

  test("an operator's force and page size are taken", () => {
    expect(readReturnDataInput({ force: true, pageSize: 500 })).toEqual({ ok: true, input: { force: true, pageSize: 500, reportWaitMs: 21_600_000 } });
  });

  test('every problem is named: a page the ledger will not serve, a wait of no time, a field it does not know, a force that is not a yes or no', () => {
    expect(readReturnDataInput({ force: 'yes', pageSize: 501, reportWaitMs: 0, clients: ['1001'] })).toEqual({
      ok: false,
      problems: ['unknown field "clients"', 'force: must be true or false', 'pageSize: must be a whole number from 1 to 500', 'reportWaitMs: must be a whole number of milliseconds above 0'],
    });
    expect(readReturnDataInput({ pageSize: 2.5 })).toEqual({ ok: false, problems: ['pageSize: must be a whole number from 1 to 500'] });
    expect(readReturnDataInput(null)).toEqual({ ok: false, problems: ['the input must be an object'] });
  });
});
