import { chooseChannel, PRINT_ONLY_ADDRESS, type ChannelFacts } from '../domain/channel';

const none: ChannelFacts = { receivesEhf: false, emailAlternative: 1 };

describe('choosing how an invoice reaches the end customer', () => {
  test('a receiver registered in PEPPOL gets EHF, even with an e-mail address', () => {
    expect(chooseChannel({ ...none, receivesEhf: true, email: 'a@b.no' }).channel).toBe('ehf');
  });

  test('without EHF, an e-mail address gets e-mail with link and code by default (alternative 1)', () => {
    expect(chooseChannel({ ...none, email: 'a@b.no' })).toEqual({ channel: 'email-link', reason: 'e-mail with link and code (alternative 1)' });
  });

  test('alternative 2 gets e-mail with the PDF attached', () => {
    expect(chooseChannel({ ...none, email: 'a@b.no', emailAlternative: 2 }).channel).toBe('email-pdf');
  });

  test('no EHF and no e-mail address gets a letter', () => {
    expect(chooseChannel(none)).toEqual({ channel: 'letter', reason: 'no EHF and no e-mail address' });
  });

  test('printonly@factoringfinans.no means letters only, even for an EHF receiver, in any letter case', () => {
    expect(chooseChannel({ ...none, receivesEhf: true, email: ' PrintOnly@FactoringFinans.no ' }).channel).toBe('letter');
    expect(chooseChannel({ ...none, email: PRINT_ONLY_ADDRESS }).reason).toContain('letters only');
  });

  test("the client's override wins over the rules", () => {
    expect(chooseChannel({ ...none, receivesEhf: true, email: 'a@b.no', override: 'letter' }).channel).toBe('letter');
    expect(chooseChannel({ ...none, receivesEhf: true, email: 'a@b.no', override: 'email' }).channel).toBe('email-link');
    expect(chooseChannel({ ...none, receivesEhf: true, override: 'ehf' }).channel).toBe('ehf');
  });

  test('an override that cannot be honoured falls back to a letter and says why', () => {
    expect(chooseChannel({ ...none, override: 'ehf' })).toEqual({
      channel: 'letter',
      reason: 'the client chose EHF for this customer, but the customer is not registered for EHF: sent as a letter',
    });
    expect(chooseChannel({ ...none, override: 'email', email: PRINT_ONLY_ADDRESS }).channel).toBe('letter');
  });
});
