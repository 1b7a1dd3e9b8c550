import { applySettingsPatch, clientSettingsPatchSchema, settingsChanges, SettingsPatchError } from '../../domain/client-settings-change';
import { clientSettingsInputSchema } from '../../domain/client-settings';

/** The merge rule of every settings change, as a pure function: the stored record is the base, the options a patch. */
const stored = clientSettingsInputSchema.parse({
  clientId: '1001',
  emailAlternative: 2,
  kid: { scheme: 'mod11', length: 12, clientNumber: 42 },
  accountMapping: { receivables: 1510, administrativeFees: 6970, financialFees: 6975, bankPayouts: 1920, factoringBalance: 2990 },
  channelOverrides: { '10010': 'letter', '10011': 'ehf' },
});
const patch = (input: unknown) => clientSettingsPatchSchema.parse(input);

describe('a settings patch', () => {
  test('naming only the KID length keeps the scheme and the client number (no defaults fill in what was left out)', () => {
    expect(applySettingsPatch('1001', stored, patch({ kid: { length: 14 } })).kid).toEqual({ scheme: 'mod11', length: 14, clientNumber: 42 });
  });

  test('that is empty changes nothing', () => {
    const after = applySettingsPatch('1001', stored, patch({}));
    expect(after).toEqual(stored);
    expect(settingsChanges(stored, after)).toEqual([]);
  });

  test('naming one account of a client without return data says which are missing', () => {
    const { accountMapping: _none, ...withoutReturnData } = stored;
    let error: unknown;
    try {
      applySettingsPatch('1001', withoutReturnData, patch({ accountMapping: { receivables: 1510 } }));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SettingsPatchError);
    expect((error as SettingsPatchError).missingAccounts).toEqual(['administrativeFees', 'financialFees', 'bankPayouts', 'factoringBalance']);
  });

  test('cannot both change and remove the account mapping, nor set and clear one customer', () => {
    expect(clientSettingsPatchSchema.safeParse({ removeAccountMapping: true, accountMapping: { receivables: 1510 } }).success).toBe(false);
    expect(clientSettingsPatchSchema.safeParse({ channelOverrides: { '10010': 'ehf' }, clearChannelOverrides: ['10010'] }).success).toBe(false);
  });

  test('a KID client number equal to the numeric client id it defaulted to is no change', () => {
    const numeric = clientSettingsInputSchema.parse({ clientId: '1001' });
    expect(settingsChanges(numeric, applySettingsPatch('1001', numeric, patch({ kid: { clientNumber: 1001 } })))).toEqual([]);
  });
});
