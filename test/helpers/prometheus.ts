import got from 'got';

/** One sample of Prometheus' text exposition format: `name{label="value",…} 12`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a /metrics page; comments (# HELP, # TYPE) and blank lines skipped. */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample: ${line}`);
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[label[1]!] = label[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

export async function scrape(url: string): Promise<Sample[]> {
  return parsePrometheus(await got(url, { timeout: { request: 5_000 } }).text());
}

/**
 * The samples of `name` matching `where`, summed per value of `by` (joined with "/"): what PromQL's
 * `sum by (…) (name{…})` gives.
 */
export function sumBy(samples: Sample[], name: string, by: string[], where: Record<string, string> = {}): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const sample of samples) {
    if (sample.name !== name || Object.entries(where).some(([key, value]) => sample.labels[key] !== value)) continue;
    const key = by.map((label) => sample.labels[label] ?? '').join('/');
    sums[key] = (sums[key] ?? 0) + sample.value;
  }
  return sums;
}
