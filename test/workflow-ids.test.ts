import { randomUUID } from 'node:crypto';
import { clientIdSchema } from '../domain/client-settings';
import { CLIENT_ID_PATTERN, invoiceWorkflowId, parseInvoiceWorkflowId } from '../domain/workflow-ids';

/** Workflow IDs name one invoice only: no two (client, invoice) pairs share an ID. */
describe('invoice workflow IDs', () => {
  test('an ID reads back as the client and invoice it was built from', () => {
    const invoiceId = randomUUID();
    expect(parseInvoiceWorkflowId(invoiceWorkflowId('c1a2b3c4d', invoiceId))).toEqual({ clientId: 'c1a2b3c4d', invoiceId });
    expect(parseInvoiceWorkflowId(invoiceWorkflowId('1001', '10023'))).toEqual({ clientId: '1001', invoiceId: '10023' });
  });

  test('client "1001-c8d2e3f4" with the rest of a GUID, which once named another invoice\'s workflow, is refused', () => {
    const invoiceId = 'c8d2e3f4-1b4d-4c5e-9f60-7a8b9c0d1e21';
    const [head, ...rest] = invoiceId.split('-');
    expect(() => invoiceWorkflowId(`1001-${head}`, rest.join('-'))).toThrow(`client id "1001-${head}" is not valid: a client id is 1-40 letters, digits or '_'`);
    expect(invoiceWorkflowId('1001', invoiceId)).toBe(`invoice-1001-${invoiceId}`);
  });

  test('an invoice id that is neither a GUID nor digits is refused', () => {
    expect(() => invoiceWorkflowId('1001', 'x')).toThrow('invoice id "x" is not valid: an invoice id is a GUID (8-4-4-4-12 hexadecimal digits) or 1-20 digits');
    expect(() => invoiceWorkflowId('1001', 'c8d2e3f4-1b4d')).toThrow('is not valid');
  });

  test('onboarding takes exactly the client ids a workflow ID can hold, and refuses "-"', () => {
    for (const id of ['1001', 'c1a2b3c4d', 'iw1234abcd', 'client_7']) expect([clientIdSchema.safeParse(id).success, CLIENT_ID_PATTERN.test(id)]).toEqual([true, true]);
    for (const id of ['1001-c8d2e3f4', '', 'a b', 'x'.repeat(41)]) expect([clientIdSchema.safeParse(id).success, CLIENT_ID_PATTERN.test(id)]).toEqual([false, false]);
  });
});
