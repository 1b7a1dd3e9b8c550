import { progressDisplay, progressIntervalSeconds } from '../../client/progress-display';

/**
 * How a long run's progress reaches the operator's stderr: rewritten in place on a terminal,
 * plain lines otherwise. An in-memory stream stands in for stderr (a single function's unit test).
 */
function stream(isTTY: boolean, columns = 80) {
  const written: string[] = [];
  return { isTTY, columns, written, write: (text: string) => written.push(text) > 0 };
}

describe('progress display', () => {
  test('not a terminal: every update is plain lines after the last, nothing rewritten', () => {
    const err = stream(false);
    const display = progressDisplay(err);

    display.show(['still running after 10 s: 5 started', '  client a  5']);
    display.show(['still running after 20 s: 9 started', '  client a  9']);

    expect(err.written.join('')).toBe('still running after 10 s: 5 started\n  client a  5\nstill running after 20 s: 9 started\n  client a  9\n');
    expect(progressIntervalSeconds(display, 10)).toBe(10);
  });

  test('a terminal: the second update moves the cursor up over the first block and erases it before writing', () => {
    const err = stream(true);
    const display = progressDisplay(err);

    display.show(['still running after 2 s: 5 started', '  client a  5']);
    display.show(['still running after 4 s: 9 started']);

    expect(err.written).toEqual(['\u001b[Jstill running after 2 s: 5 started\n  client a  5\n', '\r\u001b[2A\u001b[Jstill running after 4 s: 9 started\n']);
    expect(progressIntervalSeconds(display, 10)).toBe(2);
  });

  test('a terminal: a line wider than the terminal is cut with "…", so no line wraps and the count of lines holds', () => {
    const err = stream(true, 30);
    const display = progressDisplay(err);

    display.show(['x'.repeat(50)]);

    expect(err.written[0]).toBe(`\u001b[J${'x'.repeat(28)}…\n`);
  });
});
