import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * CPU time and memory of one process (and the children it has waited for), read from Linux's
 * /proc as `top` and `ps` do: no profiler, nothing in the measured process changes.
 */
export interface ProcessSample {
  /** User plus system CPU seconds so far, the process's waited-for children included. */
  cpuSeconds: number;
  /** Resident set size now, in MB. */
  rssMb: number;
  /** The largest resident set size since the process started (VmHWM), in MB. */
  peakRssMb: number;
}

let ticksPerSecond: number | undefined;

/** The kernel's clock ticks per second (nearly always 100), asked once. */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const answer = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    ticksPerSecond = Number.isFinite(answer) && answer > 0 ? answer : 100;
  }
  return ticksPerSecond;
}

export function sampleProcess(pid: number): ProcessSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14-17 of proc(5): utime, stime, cutime, cstime; here shifted by the two before the name.
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { cpuSeconds: ticks / clockTicks(), rssMb: kilobytes(status, 'VmRSS') / 1024, peakRssMb: kilobytes(status, 'VmHWM') / 1024 };
}

function kilobytes(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`/proc status has no ${field}`);
  return Number(match[1]);
}
