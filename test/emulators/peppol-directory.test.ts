import Fastify from 'fastify';
import { ExternalServiceError } from '../../adapters/external-service-error';
import { BIS_BILLING_DOCUMENT_TYPE_IDS, directorySearchResultSchema, type DirectorySearchResult } from '../../adapters/peppol-directory/directory-api';
import { PeppolDirectoryClient, type PeppolDirectoryClientOptions } from '../../adapters/peppol-directory/directory-client';
import { loadDemoSeed } from '../../emulators/poweroffice/fixture-schema';
import {
  buildPeppolDirectoryEmulator,
  DEMO_PEPPOL_PARTICIPANTS,
  type ParticipantRegistration,
  type PeppolDirectoryEmulator,
  type SearchCalls,
} from '../../emulators/peppol-directory/server';
import { http, jsonOf } from './harness';

/**
 * "Can this receiver take EHF?": the PEPPOL Directory's search API (contract:
 * adapters/peppol-directory/directory-api.ts) through our caching adapter, and over raw HTTP,
 * against the emulator on a free loopback port.
 */
const NORDLYS_BAKERI = '987145234'; // EHF customer 10010 of client 1001 in the demo fixture
const NOT_REGISTERED = '914883741'; // customer 10011 of client 1001: e-mail, not in PEPPOL
const HOUR = 60 * 60 * 1000;

let emulator: PeppolDirectoryEmulator;
let baseUrl: string;
let directory: PeppolDirectoryClient;
/** The adapter's clock in tests: moved by hand, so TTLs are tested without waiting. */
let now: number;

function newClient(options: PeppolDirectoryClientOptions = {}): PeppolDirectoryClient {
  return new PeppolDirectoryClient(baseUrl, { timeoutMs: 2_000, now: () => now, ...options });
}

beforeEach(async () => {
  emulator = buildPeppolDirectoryEmulator();
  baseUrl = `${await emulator.app.listen({ host: '127.0.0.1', port: 0 })}/`;
  now = Date.parse('2026-11-30T08:00:00+01:00');
  directory = newClient();
});
afterEach(async () => {
  await emulator.app.close();
});

async function register(registration: ParticipantRegistration): Promise<void> {
  const response = await http.post(`${baseUrl}_emulator/participants`, { json: registration });
  expect([200, 201]).toContain(response.statusCode);
}

async function searches(): Promise<SearchCalls> {
  return jsonOf<SearchCalls>(await http.get(`${baseUrl}_emulator/calls`));
}

async function orderFaults(settings: object): Promise<void> {
  const response = await http.post(`${baseUrl}_emulator/faults`, { json: settings });
  expect(response.statusCode).toBe(200);
}

async function refusalOf(call: Promise<unknown>): Promise<ExternalServiceError> {
  const error = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(error instanceof ExternalServiceError)) throw new Error(`expected an ExternalServiceError, got ${String(error)}`);
  return error;
}

function search(participant: string) {
  return http.get(`${baseUrl}search/1.0/json`, { searchParams: { participant } });
}

describe('who can receive EHF', () => {
  test('an organisation registered for BIS Billing 3.0 invoices can receive an EHF invoice', async () => {
    expect(await directory.canReceive(NORDLYS_BAKERI, 'Invoice')).toBe(true);
  });

  test('an organisation registered for BIS Billing 3.0 credit notes can receive an EHF credit note', async () => {
    expect(await directory.canReceive(NORDLYS_BAKERI, 'CreditNote')).toBe(true);
  });

  test('an organisation missing from the Directory cannot receive EHF', async () => {
    expect(await directory.canReceive(NOT_REGISTERED, 'Invoice')).toBe(false);
  });

  test('an organisation registered for invoices only cannot receive an EHF credit note', async () => {
    await register({ organisationNumber: NOT_REGISTERED, documentTypes: ['Invoice'] });

    expect(await directory.canReceive(NOT_REGISTERED, 'CreditNote')).toBe(false);
  });

  test('an organisation registered for credit notes only cannot receive an EHF invoice', async () => {
    await register({ organisationNumber: NOT_REGISTERED, documentTypes: ['CreditNote'] });

    expect(await directory.canReceive(NOT_REGISTERED, 'Invoice')).toBe(false);
  });

  test('an organisation in PEPPOL without BIS Billing document types cannot receive EHF', async () => {
    await register({ organisationNumber: NOT_REGISTERED, documentTypes: [] });

    expect(await directory.canReceive(NOT_REGISTERED, 'Invoice')).toBe(false);
  });

  test.each(['98714523', '9871452345', '987 145 234', 'NO987145234MVA', '', '98714523x'])(
    'a malformed organisation number (%j) cannot receive EHF, and the Directory is not asked',
    async (organisationNumber) => {
      expect(await directory.canReceive(organisationNumber, 'Invoice')).toBe(false);
      expect((await searches()).total).toBe(0);
    },
  );
});

describe('the cache', () => {
  test('a second lookup of the same organisation makes no HTTP call', async () => {
    await directory.canReceive(NORDLYS_BAKERI, 'Invoice');
    const second = await directory.canReceive(NORDLYS_BAKERI, 'Invoice');

    expect(second).toBe(true);
    expect((await searches()).byOrganisationNumber).toEqual({ [NORDLYS_BAKERI]: 1 });
  });

  test('one lookup answers for both invoices and credit notes', async () => {
    await directory.canReceive(NORDLYS_BAKERI, 'Invoice');
    await directory.canReceive(NORDLYS_BAKERI, 'CreditNote');

    expect((await searches()).total).toBe(1);
  });

  test('a negative answer is cached too', async () => {
    await directory.canReceive(NOT_REGISTERED, 'Invoice');
    await register({ organisationNumber: NOT_REGISTERED, documentTypes: ['Invoice'] });

    expect(await directory.canReceive(NOT_REGISTERED, 'Invoice')).toBe(false);
    expect((await searches()).total).toBe(1);
  });

  test('a negative answer is asked again after an hour, so a new registration is seen the same day', async () => {
    await directory.canReceive(NOT_REGISTERED, 'Invoice');
    await register({ organisationNumber: NOT_REGISTERED, documentTypes: ['Invoice'] });
    now += HOUR;

    expect(await directory.canReceive(NOT_REGISTERED, 'Invoice')).toBe(true);
    expect((await searches()).total).toBe(2);
  });

  test('a positive answer still holds after 23 hours', async () => {
    await directory.canReceive(NORDLYS_BAKERI, 'Invoice');
    now += 23 * HOUR;

    expect(await directory.canReceive(NORDLYS_BAKERI, 'Invoice')).toBe(true);
    expect((await searches()).total).toBe(1);
  });

  test('a positive answer is asked again after 24 hours, so a withdrawn registration is seen', async () => {
    await directory.canReceive(NORDLYS_BAKERI, 'Invoice');
    await http.delete(`${baseUrl}_emulator/participants/${NORDLYS_BAKERI}`);
    now += 24 * HOUR;

    expect(await directory.canReceive(NORDLYS_BAKERI, 'Invoice')).toBe(false);
    expect((await searches()).total).toBe(2);
  });

  test('the ages are configurable', async () => {
    const shortMemory = newClient({ positiveTtlMs: 5 * 60 * 1000 });
    await shortMemory.canReceive(NORDLYS_BAKERI, 'Invoice');
    now += 5 * 60 * 1000;

    await shortMemory.canReceive(NORDLYS_BAKERI, 'Invoice');

    expect((await searches()).total).toBe(2);
  });

  test('simultaneous lookups of one organisation share one request', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => directory.canReceive(NORDLYS_BAKERI, 'Invoice')));

    expect(answers).toEqual([true, true, true, true, true]);
    expect((await searches()).total).toBe(1);
  });

  test('a failed lookup is not remembered: the next one asks again and answers', async () => {
    await orderFaults({ failNext: [{ status: 500 }] });
    await refusalOf(directory.canReceive(NORDLYS_BAKERI, 'Invoice'));

    expect(await directory.canReceive(NORDLYS_BAKERI, 'Invoice')).toBe(true);
  });

  test('the cache belongs to the adapter instance: another instance asks for itself', async () => {
    await directory.canReceive(NORDLYS_BAKERI, 'Invoice');

    await newClient().canReceive(NORDLYS_BAKERI, 'Invoice');

    expect((await searches()).total).toBe(2);
  });
});

describe('faults become retryable errors', () => {
  test('the Directory\'s rate limit (429) is retryable, waiting at least a second', async () => {
    await orderFaults({ failNext: [{ status: 429, retryAfterSeconds: 2 }] });

    const error = await refusalOf(directory.canReceive(NORDLYS_BAKERI, 'Invoice'));

    expect(error).toMatchObject({ retryable: true, httpStatus: 429, retryAfterMs: 2000 });
    expect(error.message).toContain('REST search rate limit exceeded');
  });

  test('a 500 is retryable', async () => {
    await orderFaults({ failNext: [{ status: 500 }] });

    expect(await refusalOf(directory.canReceive(NORDLYS_BAKERI, 'Invoice'))).toMatchObject({ retryable: true, httpStatus: 500 });
  });

  test('no answer at all is retryable', async () => {
    await orderFaults({ failNext: [{ kind: 'timeout', hangMs: 60_000 }] });

    const error = await refusalOf(newClient({ timeoutMs: 300 }).canReceive(NORDLYS_BAKERI, 'Invoice'));

    expect(error.retryable).toBe(true);
    expect(error.message).toContain('no response');
  });

  test('an answer of another shape is not retried, and names the field that broke', async () => {
    const odd = Fastify();
    const found = jsonOf<DirectorySearchResult>(await search(`iso6523-actorid-upis::0192:${NORDLYS_BAKERI}`));
    odd.get('/search/1.0/json', async () => ({ ...found, matches: [{ ...found.matches[0], participantID: `0192:${NORDLYS_BAKERI}` }] }));
    const url = `${await odd.listen({ host: '127.0.0.1', port: 0 })}/`;
    try {
      const error = await refusalOf(new PeppolDirectoryClient(url).canReceive(NORDLYS_BAKERI, 'Invoice'));

      expect(error.retryable).toBe(false);
      expect(error.message).toContain('matches.0.participantID');
    } finally {
      await odd.close();
    }
  });

  test('an empty body, as the Directory documents for no hits, means not registered', async () => {
    const quiet = Fastify();
    quiet.get('/search/1.0/json', async (_request, reply) => reply.code(200).send(''));
    const url = `${await quiet.listen({ host: '127.0.0.1', port: 0 })}/`;
    try {
      expect(await new PeppolDirectoryClient(url).canReceive(NORDLYS_BAKERI, 'Invoice')).toBe(false);
    } finally {
      await quiet.close();
    }
  });
});

describe('the emulator speaks the Directory\'s search API', () => {
  test('a registered participant comes back in the Directory\'s JSON shape', async () => {
    const response = await search(`iso6523-actorid-upis::0192:${NORDLYS_BAKERI}`);

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const result = directorySearchResultSchema.parse(jsonOf(response));
    expect(result).toMatchObject({ version: '1.0', 'total-result-count': 1, 'used-result-count': 1, 'first-result-index': 0, 'last-result-index': 0 });
    expect(result.matches).toEqual([
      {
        participantID: { scheme: 'iso6523-actorid-upis', value: `0192:${NORDLYS_BAKERI}` },
        docTypes: [
          { scheme: 'busdox-docid-qns', value: BIS_BILLING_DOCUMENT_TYPE_IDS.Invoice },
          { scheme: 'busdox-docid-qns', value: BIS_BILLING_DOCUMENT_TYPE_IDS.CreditNote },
        ],
        entities: [{ name: [{ name: 'Nordlys Bakeri AS' }], countryCode: 'NO' }],
      },
    ]);
  });

  test('no hit is 200 with no matches', async () => {
    const response = await search(`iso6523-actorid-upis::0192:${NOT_REGISTERED}`);

    expect(response.statusCode).toBe(200);
    expect(jsonOf<DirectorySearchResult>(response)).toMatchObject({ 'total-result-count': 0, 'used-result-count': 0, 'last-result-index': -1, matches: [] });
  });

  test('a participant without document types has no docTypes field, as the Directory leaves empty lists out', async () => {
    await register({ organisationNumber: NOT_REGISTERED, documentTypes: [] });

    const match = jsonOf<DirectorySearchResult>(await search(`iso6523-actorid-upis::0192:${NOT_REGISTERED}`)).matches[0];

    expect(match).toBeDefined();
    expect(match).not.toHaveProperty('docTypes');
  });

  test('a value that is no participant identifier is refused with 400 in plain text', async () => {
    const response = await search('0192:987145234');

    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toBe('No valid queries could be created!');
  });

  test('a search without a query term is refused with 400', async () => {
    const response = await http.get(`${baseUrl}search/1.0/json`);

    expect(response.statusCode).toBe(400);
    expect(response.body).toBe('No valid query term provided!');
  });
});

describe('the demo registrations', () => {
  test('are exactly the EHF customers of the PowerOffice demo fixture, for invoices and credit notes', () => {
    const ehfCustomers = loadDemoSeed()
      .companies.flatMap((company) => company.customers)
      .filter((customer) => customer.InvoiceDeliveryType === 'EHF')
      .map((customer) => customer.OrganizationNumber)
      .sort();

    expect(DEMO_PEPPOL_PARTICIPANTS.map((p) => p.organisationNumber).sort()).toEqual(ehfCustomers);
    expect(DEMO_PEPPOL_PARTICIPANTS.every((p) => p.documentTypes.includes('Invoice') && p.documentTypes.includes('CreditNote'))).toBe(true);
  });

  test('can be replaced by the registrations a test passes in', async () => {
    const custom = buildPeppolDirectoryEmulator({ participants: [{ organisationNumber: NOT_REGISTERED, documentTypes: ['Invoice'] }] });
    const url = `${await custom.app.listen({ host: '127.0.0.1', port: 0 })}/`;
    try {
      const client = new PeppolDirectoryClient(url);
      expect([await client.canReceive(NOT_REGISTERED, 'Invoice'), await client.canReceive(NORDLYS_BAKERI, 'Invoice')]).toEqual([true, false]);
    } finally {
      await custom.app.close();
    }
  });
});
