import { normalize, parseDecimal, toDecimalText } from '../domain/ehf/decimal';
import { formatKroner, type Ore } from '../domain/money';

/** Norwegian number and date forms for the printed invoice: 1 234,50 and 28.11.2026. */

const THOUSANDS = '\u00a0';

/** "2026-11-28" → "28.11.2026". */
export function formatDate(isoDate: string | undefined): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate ?? '');
  return match ? `${match[3]}.${match[2]}.${match[1]}` : (isoDate ?? '');
}

/** Øre as kroner: 123450 → "1 234,50" (no-break space between thousands, so it never wraps). */
export function formatAmount(ore: Ore): string {
  return formatKroner(ore);
}

/**
 * A decimal text (quantity, unit price) in Norwegian form, with at least `minDecimals` decimals and
 * no needless trailing zeros beyond them: ("2.5", 0) → "2,5"; ("1273", 2) → "1 273,00".
 */
export function formatDecimalText(text: string, minDecimals = 0): string {
  const decimal = normalize(parseDecimal(text));
  const plain = toDecimalText(decimal.scale >= minDecimals ? decimal : { units: decimal.units * 10n ** BigInt(minDecimals - decimal.scale), scale: minDecimals });
  const [whole = '', fraction] = plain.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const grouped = whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, THOUSANDS);
  return `${sign}${grouped}${fraction ? `,${fraction}` : ''}`;
}

/** "25.0" → "25 %", "11.11" → "11,11 %". */
export function formatPercent(text: string | undefined): string {
  return text === undefined ? '' : `${formatDecimalText(text)}\u00a0%`;
}
