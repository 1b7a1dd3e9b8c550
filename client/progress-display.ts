/**
 * Progress of a long run, on stderr (stdout stays the result: a summary, or --json for scripts).
 * On a terminal the block of lines is rewritten in place (ANSI: cursor up, erase to the end of the
 * screen), each line cut to the terminal's width so a wrapped line never throws the count off; to a
 * file or a pipe every update is plain lines, one after the other, which a log keeps readable.
 */
export interface ProgressDisplay {
  /** True when updates rewrite the same lines: the command may then update more often. */
  readonly inPlace: boolean;
  show(lines: readonly string[]): void;
}

interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): boolean;
}

const CURSOR_UP = (n: number) => `\x1b[${n}A`;
const ERASE_DOWN = '\x1b[J';

export function progressDisplay(stream: ProgressStream = process.stderr): ProgressDisplay {
  if (!stream.isTTY) {
    return { inPlace: false, show: (lines) => void stream.write(lines.map((line) => `${line}\n`).join('')) };
  }
  let shown = 0;
  return {
    inPlace: true,
    show(lines) {
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      const fitted = lines.map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
      stream.write(`${shown > 0 ? `\r${CURSOR_UP(shown)}` : ''}${ERASE_DOWN}${fitted.map((line) => `${line}\n`).join('')}`);
      shown = fitted.length;
    },
  };
}

/** How often a run command updates its progress: as asked, or every 2 s at most on a terminal, where an update costs no lines. */
export function progressIntervalSeconds(display: ProgressDisplay, askedSeconds: number): number {
  return display.inPlace ? Math.min(askedSeconds, 2) : askedSeconds;
}
