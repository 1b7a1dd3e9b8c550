import { customerSchema } from '../../adapters/poweroffice/v2-schemas';

describe("PowerOffice GO's customer card, as the service reads it", () => {
  test('a delivery type PowerOffice adds later reads as unknown, and the rest of the card is kept', () => {
    const card = customerSchema.parse({ id: 1, number: 10010, subledgerAccountId: 7, name: 'Bakeri Ås AS', invoiceDeliveryType: 'Kivra' });

    expect(card).toMatchObject({ number: 10010, subledgerAccountId: 7, name: 'Bakeri Ås AS' });
    expect(card.invoiceDeliveryType).toBeUndefined();
  });

  test('a card without its sub-ledger account is still refused: the service posts against it', () => {
    expect(customerSchema.safeParse({ id: 1, number: 10010, name: 'Bakeri Ås AS' }).success).toBe(false);
  });
});
