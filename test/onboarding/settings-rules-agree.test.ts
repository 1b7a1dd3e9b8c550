import { clientSettingsInputSchema } from '../../domain/client-settings';
import { clientSettingsChangeSchema, clientSettingsPatchSchema } from '../../domain/client-settings-change';
import { applySettingsPatch, clientSettingsChangeProblems, SettingsPatchError } from '../../domain/client-settings-rules';

/**
 * The settings workflow checks a change with client-settings-rules.ts (no zod in workflows); the
 * onboarding command reads the operator's input with the zod schemas. The two must refuse the same
 * changes, and a patch applied without zod must give the record zod gave: the same values, keys in
 * the same order (records are compared as JSON, and a workflow's history must replay).
 */
const FINGERPRINT = 'a'.repeat(64);
const change = (patch: unknown, extra: Record<string, unknown> = {}) => ({ patch, at: '2026-11-30T10:00:00.000Z', ...extra });

const cases: unknown[] = [
  change({}),
  change({ emailAlternative: 2 }),
  change({ emailAlternative: 3 }),
  change({ kid: { length: 12 } }),
  change({ kid: { length: 99 } }),
  change({ kid: { length: 12.5 } }),
  change({ kid: { scheme: 'mod11', clientNumber: 99_999 } }),
  change({ kid: { scheme: 'mod9' } }),
  change({ kid: { clientNumber: 0 } }),
  change({ kid: { lenght: 12 } }),
  change({ kid: 'mod10' }),
  change({ channelOverrides: { '10010': 'ehf', '10011': 'letter' } }),
  change({ channelOverrides: { '10010': 'fax' } }),
  change({ channelOverrides: { A10: 'ehf' } }),
  change({ clearChannelOverrides: ['10010'] }),
  change({ clearChannelOverrides: ['x'] }),
  change({ clearChannelOverrides: '10010' }),
  change({ channelOverrides: { '10010': 'ehf' }, clearChannelOverrides: ['10010'] }),
  change({ accountMapping: { receivables: 1510 } }),
  change({ accountMapping: { receivables: 999 } }),
  change({ accountMapping: { receivables: 1510, cash: 1900 } }),
  change({ accountMapping: { receivables: 1511 }, removeAccountMapping: true }),
  change({ accountMapping: {}, removeAccountMapping: true }),
  change({ removeAccountMapping: false }),
  change({ colour: 'blue' }),
  change(undefined),
  change(null),
  change({}, { clientKey: { keyId: 'demo-1', sealed: 'c2VhbGVk', fingerprint: FINGERPRINT } }),
  change({}, { clientKey: { keyId: '', sealed: 'c2VhbGVk', fingerprint: FINGERPRINT } }),
  change({}, { clientKey: { keyId: 'demo-1', sealed: 'c2VhbGVk', fingerprint: 'A'.repeat(64) } }),
  change({}, { clientName: 'Fjordkraft Regnskap AS' }),
  change({}, { clientName: 42 }),
  change({}, { by: 'operator' }),
  { patch: {} },
  { patch: {}, at: 1 },
  'change',
  null,
];

/** A seeded mix of good and bad fields, to find what the table above did not think of. */
function generatedChanges(count: number): unknown[] {
  let seed = 20261130;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const customers = ['10010', '10011', '7', 'x1'];
  return Array.from({ length: count }, () => {
    const maybe = <T extends object>(chance: number, value: () => T): T | object => (random() < chance ? value() : {});
    const patch = {
      ...maybe(0.5, () => ({ emailAlternative: pick([1, 2, 3]) })),
      ...maybe(0.5, () => ({
        kid: {
          ...maybe(0.5, () => ({ length: pick([3, 4, 15, 25, 26]) })),
          ...maybe(0.5, () => ({ scheme: pick(['mod10', 'mod11', 'MOD10']) })),
          ...maybe(0.3, () => ({ clientNumber: pick([0, 1, 99_999, 100_000]) })),
        },
      })),
      ...maybe(0.4, () => ({ channelOverrides: Object.fromEntries(customers.filter(() => random() < 0.4).map((no) => [no, pick(['ehf', 'email', 'letter', 'sms'])])) })),
      ...maybe(0.3, () => ({ clearChannelOverrides: customers.filter(() => random() < 0.3) })),
      ...maybe(0.4, () => ({ accountMapping: Object.fromEntries(['receivables', 'bankPayouts', 'factoringBalance'].filter(() => random() < 0.6).map((role) => [role, pick([1510, 999, 1920, 100_000_000])])) })),
      ...maybe(0.2, () => ({ removeAccountMapping: pick([true, false]) })),
    };
    return change(patch);
  });
}

const verdicts = (input: unknown) => ({ zod: clientSettingsChangeSchema.safeParse(input).success, rules: clientSettingsChangeProblems(input).length === 0 });

describe('the settings rules without zod and the zod schemas', () => {
  test('accept and refuse the same changes', () => {
    const all = [...cases, ...generatedChanges(3000)];
    const disagreements = all.filter((input) => {
      const { zod, rules } = verdicts(input);
      return zod !== rules;
    });
    expect(disagreements).toEqual([]);
    // Both kinds were tried: a table that only ever agreed on "refused" would prove nothing.
    expect(all.filter((input) => verdicts(input).zod).length).toBeGreaterThan(100);
    expect(all.filter((input) => !verdicts(input).zod).length).toBeGreaterThan(100);
  });

  test('name the field and the reason, as the settings workflow refuses them', () => {
    expect(clientSettingsChangeProblems(change({ kid: { length: 99 } }))).toEqual(['patch.kid.length: must be a whole number from 4 to 25']);
    expect(clientSettingsChangeProblems(change({ accountMapping: { receivables: 1511 }, removeAccountMapping: true }))).toEqual(['the account mapping cannot be both changed and removed']);
    expect(clientSettingsChangeProblems(change({ colour: 'blue' }))).toEqual(['patch: unknown field "colour"']);
  });

  test('a patch applied without zod gives the record the zod schema gives, keys in its order', () => {
    const stored = clientSettingsInputSchema.parse({
      clientId: '1001',
      kid: { length: 12, scheme: 'mod11' },
      accountMapping: { factoringBalance: 2990, receivables: 1510, bankPayouts: 1920, financialFees: 6975, administrativeFees: 6970 },
      channelOverrides: { '10010': 'letter' },
    });
    let applied = 0;
    for (const input of [...cases, ...generatedChanges(3000)]) {
      const patch = clientSettingsPatchSchema.safeParse((input as { patch?: unknown } | null)?.patch);
      if (!patch.success) continue;
      for (const before of [stored, undefined]) {
        let after;
        try {
          after = applySettingsPatch('1001', before, JSON.parse(JSON.stringify(patch.data)) as typeof patch.data);
        } catch (err) {
          // An incomplete account mapping: refused with the roles missing, never a half record.
          expect(err).toBeInstanceOf(SettingsPatchError);
          continue;
        }
        applied += 1;
        expect(JSON.stringify(after)).toBe(JSON.stringify(clientSettingsInputSchema.parse(after)));
      }
    }
    expect(applied).toBeGreaterThan(100);
  });
});
