import type { DocumentKind, TaxCategory } from '../../domain/ehf/model';
import { formatPercent } from '../format';

/** The Norwegian wording of the printed invoice. */
export function titles(kind: DocumentKind): { title: string; number: string; date: string } {
  return kind === 'Invoice'
    ? { title: 'FAKTURA', number: 'Fakturanr.', date: 'Fakturadato' }
    : { title: 'KREDITNOTA', number: 'Kreditnotanr.', date: 'Kreditnotadato' };
}

/** UN/ECE Recommendation 20 unit codes as a Norwegian reader knows them; others are shown as coded. */
const UNITS: Record<string, string> = {
  C62: 'stk', EA: 'stk', H87: 'stk', NAR: 'stk', XPP: 'stk', HUR: 'timer', DAY: 'dager', WEE: 'uker', MON: 'mnd', ANN: 'år',
  MTR: 'm', MTK: 'm²', MTQ: 'm³', KMT: 'km', KGM: 'kg', TNE: 'tonn', LTR: 'l', KWH: 'kWh', SET: 'sett', PR: 'par', MIN: 'min',
};

export function unitName(unitCode: string): string {
  return UNITS[unitCode] ?? unitCode;
}

/** How the VAT summary names a breakdown: the rate for standard rates, the reason otherwise. */
export function vatCategoryLabel(category: TaxCategory): string {
  const names: Record<string, string> = {
    Z: 'Nullsats',
    E: 'Fritatt',
    AE: 'Omvendt avgiftsplikt',
    K: 'EU-levering',
    G: 'Eksport',
    O: 'Utenfor mva.-loven',
  };
  const name = names[category.id];
  if (name === undefined) return formatPercent(category.percent);
  return category.id === 'O' ? name : `${name} ${formatPercent(category.percent)}`;
}
