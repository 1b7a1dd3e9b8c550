import { DOMParser } from '@xmldom/xmldom';
import { buildBillingDocumentXml } from '../../domain/ehf/build-ubl';
import {
  ClientDocumentRefused,
  decodeClientDocument,
  firstInvalidUtf8Offset,
  MAX_ELEMENTS,
  MAX_INVOICE_LINES,
  MAX_NESTING_DEPTH,
  MAX_TEXT_CHARACTERS,
} from '../../domain/ehf/client-document';
import { prepareOutgoingDocument, type OutgoingDocument } from '../../domain/ehf/outgoing-document';
import { parseBillingDocument } from '../../domain/ehf/parse-ubl';
import { xmlRules } from '../../domain/ehf/rules/xml-rules';
import { generateKid, invoiceNumberForKid } from '../../domain/kid';
import { DEMO_KID_SCHEME, DEMO_SETTINGS } from '../../documents/demo-settings';
import { payeeDetails } from '../../documents/settings';
import { BASE_INVOICE, invoiceWithLines, nestedInNote, withBuyerName, withInvoiceId, withItemName, withNote, withSellerName, xmlText } from './client-documents';
import { expectStrictlyWellFormed, strictXmlErrors } from './strict-xml';

function outgoing(clientXml: string, invoiceNumber?: number): OutgoingDocument {
  return prepareOutgoingDocument({ clientXml, payee: payeeDetails(DEMO_SETTINGS), kidScheme: DEMO_KID_SCHEME, ...(invoiceNumber === undefined ? {} : { invoiceNumber }) });
}

function refusal(result: OutgoingDocument): string {
  expect(result.ready).toBe(false);
  expect(result.xml).toBeUndefined();
  return result.failures.map((f) => `${f.ruleId}: ${f.message}`).join('\n');
}

describe('a client document within the limits', () => {
  test(`a big client's invoice of 5,000 lines is read, checked and sent on`, () => {
    const xml = invoiceWithLines(5_000);
    const result = outgoing(xml);
    expect(result.failures).toEqual([]);
    expect(result.ready).toBe(true);
    expect(result.document?.lines).toHaveLength(5_000);
    expectStrictlyWellFormed([{ name: '5,000 lines', xml: result.xml ?? '' }]);
  });

  test('every limit leaves room many times over for a real PEPPOL invoice', () => {
    expect(MAX_NESTING_DEPTH).toBeGreaterThanOrEqual(6 * 8);
    expect(MAX_INVOICE_LINES).toBeGreaterThanOrEqual(10_000);
    expect(MAX_ELEMENTS).toBeGreaterThanOrEqual(MAX_INVOICE_LINES * 30);
    expect(MAX_TEXT_CHARACTERS).toBeGreaterThanOrEqual(5_000);
  });
});

describe('a client document over a limit is refused with the limit named, never a RangeError', () => {
  test('20,000 nested elements', () => {
    expect(refusal(outgoing(nestedInNote(20_000)))).toBe("FF-DOC-02: The client's EHF is nested 20002 levels deep; at most 64 are accepted.");
  });

  test('65 levels is one too many; 64 pass the depth check', () => {
    expect(refusal(outgoing(nestedInNote(63)))).toBe("FF-DOC-02: The client's EHF is nested 65 levels deep; at most 64 are accepted.");
    expect(outgoing(nestedInNote(62)).failures.map((f) => f.ruleId)).not.toContain('FF-DOC-02');
  });

  test('a note of 50 MB', () => {
    const xml = withNote('x'.repeat(50 * 1024 * 1024));
    expect(refusal(outgoing(xml))).toBe(`FF-DOC-01: The client's EHF is ${Buffer.byteLength(xml)} bytes; at most 20971520 bytes (20 MiB) are accepted.`);
  });

  test('a note one character over the longest text', () => {
    expect(refusal(outgoing(withNote('x'.repeat(MAX_TEXT_CHARACTERS + 1))))).toBe(
      "FF-DOC-05: The client's EHF has a cbc:Note of 10001 characters at line 15, column 3; at most 10000 are accepted in one text.",
    );
  });

  test('one invoice line more than the most accepted', () => {
    expect(refusal(outgoing(invoiceWithLines(MAX_INVOICE_LINES + 1)))).toBe("FF-DOC-04: The client's EHF has 10001 invoice lines; at most 10000 are accepted.");
  });

  test('more elements than accepted', () => {
    const xml = withNote('').replace('<cbc:Note></cbc:Note>', '<cbc:Note>x</cbc:Note>' + '<y/>'.repeat(MAX_ELEMENTS));
    const elements = (xml.match(/<[A-Za-z]/g) ?? []).length;
    expect(refusal(outgoing(xml))).toBe(`FF-DOC-03: The client's EHF has ${elements} elements; at most 500000 are accepted.`);
  });

  test('the rule walk over a document parsed elsewhere is iterative: 20,000 levels do not overflow the stack', () => {
    const deep = new DOMParser().parseFromString(`<a>${'<b>'.repeat(20_000)}x${'</b>'.repeat(20_000)}</a>`, 'text/xml');
    expect(() => xmlRules(deep, 'NOK')).not.toThrow();
  });
});

describe('characters XML 1.0 forbids are refused, naming the field (the client fixes its own text)', () => {
  test.each([
    ['U+0001 in the buyer\'s name', withBuyerName('Kunde\u0001 AS'), 'U+0001 (a control character) in cbc:RegistrationName at line 76, column 36'],
    ['U+0007 in the note', withNote('Ring\u0007 oss'), 'U+0007 (a control character) in cbc:Note at line 15, column 17'],
    ['U+0001 written as a reference (&#1;) in an item name', withItemName('Timer&#1;'), 'U+0001 (a control character) in cbc:Name at line 179, column 7'],
    ['U+001B written as a hex reference in an attribute', BASE_INVOICE.replace('unitCode="HUR"', 'unitCode="H&#x1B;R"'), 'U+001B (a control character) in cbc:InvoicedQuantity at line 175, column 5'],
    ['U+FFFE (a noncharacter)', withSellerName('Blåbær\uFFFE'), 'U+FFFE (a noncharacter) in cbc:Name at line 29, column 25'],
  ])('%s', (_, xml, where) => {
    expect(refusal(outgoing(xml))).toBe(`FF-DOC-06: The client's EHF contains ${where}; XML 1.0 forbids it.`);
  });

  test('U+FFFD, what is left of a text that was not UTF-8, is refused with the place', () => {
    expect(refusal(outgoing(withBuyerName('Bl\uFFFDb\uFFFDr AS')))).toBe(
      "FF-DOC-06: The client's EHF contains U+FFFD (the replacement character) in cbc:RegistrationName at line 76, column 33; it stands for a character that was not valid UTF-8 when the document was read.",
    );
  });

  test('a control character from elsewhere (the customer card) is never written into the outgoing EHF', () => {
    const document = parseBillingDocument(BASE_INVOICE);
    const withControl = { ...document, buyer: { ...document.buyer, name: 'Kunde\u0002 AS' } };
    expect(() => buildBillingDocumentXml(withControl)).toThrow(
      new ClientDocumentRefused('character', 'The outgoing EHF would contain U+0002 (a control character) in cbc:Name; XML 1.0 forbids it.'),
    );
  });
});

describe('every text is escaped exactly once: client text → outgoing EHF → read back is the same text', () => {
  const texts = ['A & B', 'Ola &amp; Kari', 'Non&nbsp;breaking', 'Tegn &#65; og &#x42;', 'Pris < 100 > 50', 'Slutt ]]> her', '&lt;b&gt;fet&lt;/b&gt; "sitat" \'apostrof\''];
  const built: { name: string; xml: string }[] = [];

  test.each(texts)('%s', (text) => {
    let xml = withSellerName(xmlText(text));
    xml = withBuyerName(xmlText(`${text} AS`)).replace('<cbc:Name>Blåbær &amp; Søn</cbc:Name>', `<cbc:Name>${xmlText(text)}</cbc:Name>`);
    xml = xml.replace(/<cbc:Note>[^<]*<\/cbc:Note>/, `<cbc:Note>${xmlText(text)}</cbc:Note>`).replace('<cbc:Name>Konsulenttimer</cbc:Name>', `<cbc:Name>${xmlText(text)}</cbc:Name>`);
    const result = outgoing(xml);
    expect(result.failures).toEqual([]);
    const back = parseBillingDocument(result.xml ?? '');
    expect(back.seller.name).toBe(text);
    expect(back.buyer.legalEntity?.registrationName).toBe(`${text} AS`);
    expect(back.notes[0]?.endsWith(`\n\n${text}`)).toBe(true);
    expect(back.lines[0]?.item.name).toBe(text);
    built.push({ name: text, xml: result.xml ?? '' });
  });

  test('the literal text "&nbsp;" goes out escaped, as &amp;nbsp;', () => {
    const xml = outgoing(withSellerName('A&amp;nbsp;B')).xml ?? '';
    expect(xml).toContain('<cbc:Name>A&amp;nbsp;B</cbc:Name>');
  });

  test('the strict parser refuses what a lenient one lets through: an undefined entity, a control character, "]]>" in text', () => {
    expect(strictXmlErrors(['<a>&nbsp;</a>', '<a>\u0001</a>', '<a>&#7;</a>', '<a>]]></a>', '<a>&amp;nbsp;</a>'])).toEqual([
      expect.stringContaining('undefined entity'),
      expect.stringContaining('not well-formed'),
      expect.stringContaining('invalid character'),
      expect.stringContaining('not well-formed'),
      null,
    ]);
  });

  test('each of those outgoing EHFs passes a strict XML 1.0 parser (expat)', () => {
    expect(built).toHaveLength(texts.length);
    expectStrictlyWellFormed(built);
  });
});

describe('the encoding: UTF-8 only', () => {
  test('a Latin-1 file declared as UTF-8 is refused with the byte offset and line of the first byte that is not UTF-8', () => {
    const bytes = Buffer.from(BASE_INVOICE, 'latin1');
    const offset = BASE_INVOICE.search(/[^\p{ASCII}]/u); // "ø" in the note; everything before it is ASCII, one byte each
    expect(() => decodeClientDocument(bytes)).toThrow(
      new ClientDocumentRefused(
        'encoding',
        `The client's EHF is not valid UTF-8: byte 0xF8 at offset ${offset} (line 15) is not part of a UTF-8 character; EHF must be saved as UTF-8, not ISO-8859-1 or Windows-1252.`,
      ),
    );
  });

  test('UTF-8 with a byte order mark is read, without the mark', () => {
    const text = decodeClientDocument(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BASE_INVOICE, 'utf8')]));
    expect(text).toBe(BASE_INVOICE);
  });

  test.each([
    ['an overlong encoding', [0x41, 0xc0, 0x80], 1],
    ['an encoded surrogate', [0x41, 0x42, 0xed, 0xa0, 0x80], 2],
    ['a sequence cut off at the end', [0x41, 0xe2, 0x82], 1],
    ['a continuation byte alone', [0x80], 0],
    ['valid three- and four-byte characters', [0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80], 7],
  ])('the first byte that is not UTF-8: %s', (_, bytes, offset) => {
    expect(firstInvalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset);
  });

  test('a document that declares another encoding is refused', () => {
    expect(refusal(outgoing(BASE_INVOICE.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')))).toBe(
      "FF-DOC-07: The client's EHF declares the encoding ISO-8859-1; EHF must be UTF-8.",
    );
  });
});

describe('the number a KID is built from', () => {
  test('a digits-only invoice number is used as it is', () => {
    expect(invoiceNumberForKid('10023')).toEqual({ valid: true, invoiceNumber: 10023 });
    expect(outgoing(BASE_INVOICE).kid).toBe(generateKid(DEMO_KID_SCHEME, 10023));
  });

  test('the PowerOffice invoice number wins over the document\'s cbc:ID, as in the service', () => {
    expect(invoiceNumberForKid('10023', 555)).toEqual({ valid: true, invoiceNumber: 555 });
  });

  test.each(['2026-0417', 'F-26-0312', 'G-26-0312'])('"%s" gives no KID of its own: it needs the number (no two IDs can meet in one KID)', (id) => {
    expect(refusal(outgoing(withInvoiceId(id)))).toBe(
      `FF-KID-03: The invoice number "${id}" (cbc:ID) is not all digits, and a KID is built from a number unique per client: give PowerOffice GO's invoice number for it (preview: --invoice-no N).`,
    );
  });

  test('"F-26-0312" and "G-26-0312" with their own PowerOffice numbers get different KIDs', () => {
    const f = outgoing(withInvoiceId('F-26-0312'), 4101);
    const g = outgoing(withInvoiceId('G-26-0312'), 4102);
    expect(f.ready && g.ready).toBe(true);
    expect(f.kid).not.toBe(g.kid);
  });

  test('a digits-only number longer than any KID holds is refused, saying so', () => {
    expect(invoiceNumberForKid('1234567890123456')).toEqual({
      valid: false,
      reason: `The invoice number "1234567890123456" (cbc:ID) has 16 digits, more than a KID has room for, and a KID is built from a number unique per client: give PowerOffice GO's invoice number for it (preview: --invoice-no N).`,
    });
  });
});
