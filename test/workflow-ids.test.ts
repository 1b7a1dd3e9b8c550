import { randomUUID } from 'node:crypto';
import { clientIdSchema } from '../domain/client-settings';
import { CLIENT_ID_PATTERN, guidInvoiceWorkflowId, invoiceWorkflowId, parseInvoiceWorkflowId } from '../domain/workflow-ids';

/** Workflow IDs name one invoice only: no two (client, invoice) pairs share an ID. */
describe('invoice workflow IDs', () => {
  test('an operator reads the invoice number in the ID: invoice-1001-10023, credit-note-1001-10024', () => {
    expect(invoiceWorkflowId({ clientId: '1001', invoiceNo: 10023, documentType: 'Invoice' })).toBe('invoice-1001-10023');
    expect(invoiceWorkflowId({ clientId: '1001', invoiceNo: 10024, documentType: 'CreditNote' })).toBe('credit-note-1001-10024');
  });

  test('an invoice and a credit note with the same number get two IDs', () => {
    const invoice = invoiceWorkflowId({ clientId: '1001', invoiceNo: 10023, documentType: 'Invoice' });
    const creditNote = invoiceWorkflowId({ clientId: '1001', invoiceNo: 10023, documentType: 'CreditNote' });
    expect(invoice).not.toBe(creditNote);
  });

  test('an ID reads back as the client and number, or (started before) the client and GUID, it was built from', () => {
    const invoiceId = randomUUID();
    expect(parseInvoiceWorkflowId(invoiceWorkflowId({ clientId: 'c1a2b3c4d', invoiceNo: 10023, documentType: 'Invoice' }))).toEqual({ form: 'number', clientId: 'c1a2b3c4d', invoiceNo: 10023, documentType: 'Invoice' });
    expect(parseInvoiceWorkflowId('credit-note-1001-7')).toEqual({ form: 'number', clientId: '1001', invoiceNo: 7, documentType: 'CreditNote' });
    expect(parseInvoiceWorkflowId(guidInvoiceWorkflowId('1001', invoiceId))).toEqual({ form: 'guid', clientId: '1001', invoiceId });
    expect(parseInvoiceWorkflowId(`credit-note-1001-${invoiceId}`)).toBeUndefined();
    expect(parseInvoiceWorkflowId('batch-manual-20261130T080000')).toBeUndefined();
  });

  test('client "1001-c8d2e3f4" with the rest of a GUID, which once named another invoice\'s workflow, is refused', () => {
    const invoiceId = 'c8d2e3f4-1b4d-4c5e-9f60-7a8b9c0d1e21';
    const [head, ...rest] = invoiceId.split('-');
    expect(() => guidInvoiceWorkflowId(`1001-${head}`, rest.join('-'))).toThrow(`client id "1001-${head}" is not valid: a client id is 1-40 letters, digits or '_'`);
    expect(() => invoiceWorkflowId({ clientId: '1001-10', invoiceNo: 23, documentType: 'Invoice' })).toThrow('client id "1001-10" is not valid');
    expect(guidInvoiceWorkflowId('1001', invoiceId)).toBe(`invoice-1001-${invoiceId}`);
  });

  test('an invoice number that is not a whole number from 1 is refused', () => {
    for (const invoiceNo of [0, -1, 1.5, 2 ** 53, Number.NaN]) {
      expect(() => invoiceWorkflowId({ clientId: '1001', invoiceNo, documentType: 'Invoice' })).toThrow(`invoice number ${invoiceNo} is not valid`);
    }
  });

  test('an invoice id that is neither a GUID nor digits is refused', () => {
    expect(() => guidInvoiceWorkflowId('1001', 'x')).toThrow('invoice id "x" is not valid: an invoice id is a GUID (8-4-4-4-12 hexadecimal digits) or 1-20 digits');
    expect(() => guidInvoiceWorkflowId('1001', 'c8d2e3f4-1b4d')).toThrow('is not valid');
  });

  test('onboarding takes exactly the client ids a workflow ID can hold, and refuses "-"', () => {
    for (const id of ['1001', 'c1a2b3c4d', 'iw1234abcd', 'client_7']) expect([clientIdSchema.safeParse(id).success, CLIENT_ID_PATTERN.test(id)]).toEqual([true, true]);
    for (const id of ['1001-c8d2e3f4', '', 'a b', 'x'.repeat(41)]) expect([clientIdSchema.safeParse(id).success, CLIENT_ID_PATTERN.test(id)]).toEqual([false, false]);
  });
});
