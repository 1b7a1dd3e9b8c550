import { z } from 'zod';

/**
 * What Factoring Finans knows about one client (a company that sells it its invoices), as the
 * onboarding command takes it in. Pure: the client key arrives here already encrypted.
 */
export const clientIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_]{1,40}$/, 'a client id is 1-40 letters, digits or "_" (it becomes part of workflow IDs, where "-" separates it from the invoice id)');

const accountNo = z.number().int().min(1000).max(99_999_999);

/**
 * Return data ("returdata") postings need the client's own accounts; the numbers are examples
 * from the brief, each client names its own.
 */
export const accountMappingSchema = z.object({
  /** The client's receivables control account ("klientens kundereskontro"), e.g. 1510. */
  receivables: accountNo,
  /** Administrative fees, e.g. 6970. */
  administrativeFees: accountNo,
  /** Financial fees, e.g. 6975. */
  financialFees: accountNo,
  /** Payouts from Factoring Finans to the client's bank account, e.g. 1920. */
  bankPayouts: accountNo,
  /** Balance/debt with Factoring Finans, e.g. 2990. */
  factoringBalance: accountNo,
});
export type AccountMapping = z.infer<typeof accountMappingSchema>;

export const accountRoleNames: Record<keyof AccountMapping, string> = {
  receivables: 'receivables (kundereskontro)',
  administrativeFees: 'administrative fees',
  financialFees: 'financial fees',
  bankPayouts: 'payouts to bank',
  factoringBalance: 'balance/debt with Factoring Finans',
};

export const kidSettingsSchema = z.object({
  scheme: z.enum(['mod10', 'mod11']).default('mod10'),
  /** Fixed per client, 4-25 digits (Mastercard Payment Services). */
  length: z.number().int().min(4).max(25).default(15),
  /**
   * Factoring Finans' number for the client, the KID's prefix (domain/kid.ts): unique per client.
   * Defaults to the client id when that is a number.
   */
  clientNumber: z.number().int().min(1).max(99_999).optional(),
});

/** A customer number in PowerOffice GO, the key of a channel override. */
export const customerNoSchema = z.string().regex(/^\d+$/, 'a customer number is digits only');

/** A per-customer channel chosen by the client; it wins over the rules (domain/channel.ts). */
export const channelOverrideSchema = z.enum(['ehf', 'email', 'letter']);
export type ChannelOverride = z.infer<typeof channelOverrideSchema>;

/** What an operator decides for a client; everything else is derived or verified. */
export const clientSettingsInputSchema = z.object({
  clientId: clientIdSchema,
  /** 1 = e-mail with link and code (the default, opening is tracked); 2 = e-mail with the PDF attached. */
  emailAlternative: z.union([z.literal(1), z.literal(2)]).default(1),
  kid: kidSettingsSchema.default({ scheme: 'mod10', length: 15 }),
  /** Present only when the client ordered return data. */
  accountMapping: accountMappingSchema.optional(),
  /** Customer number → channel. */
  channelOverrides: z.record(customerNoSchema, channelOverrideSchema).default({}),
});
export type ClientSettingsInput = z.infer<typeof clientSettingsInputSchema>;

export const encryptedSecretSchema = z.object({
  keyId: z.string().min(1),
  /** base64(iv | ciphertext | tag), AES-256-GCM. */
  sealed: z.string().min(1),
  /** HMAC of the plain secret: tells "same key again" apart from "new key" without decrypting. */
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
});
export type EncryptedSecret = z.infer<typeof encryptedSecretSchema>;

export const clientStatusSchema = z.enum(['Active', 'Disabled']);
export type ClientStatusValue = z.infer<typeof clientStatusSchema>;

/** The stored record, as the client's settings workflow holds it. */
export const storedClientSettingsSchema = clientSettingsInputSchema.extend({
  clientName: z.string().optional(),
  clientKey: encryptedSecretSchema,
  status: clientStatusSchema,
  statusReason: z.string().optional(),
  /** ISO 8601 instant of the last change that mattered. */
  changedAt: z.string(),
});
export type StoredClientSettings = z.infer<typeof storedClientSettingsSchema>;

/** The parts of two records that matter: same client key (by fingerprint) and same decisions. */
export function sameSettings(a: StoredClientSettings, b: StoredClientSettings): boolean {
  const essence = (s: StoredClientSettings) =>
    JSON.stringify([
      s.clientId,
      s.emailAlternative,
      s.kid,
      s.accountMapping ?? null,
      Object.entries(s.channelOverrides).sort(),
      s.clientKey.fingerprint,
      s.status,
      s.clientName ?? null,
    ]);
  return essence(a) === essence(b);
}

/** The number in the client's KIDs: the configured one, or the client id when it is numeric. */
export function kidClientNumber(settings: Pick<ClientSettingsInput, 'clientId' | 'kid'>): number {
  if (settings.kid.clientNumber !== undefined) return settings.kid.clientNumber;
  if (/^\d{1,5}$/.test(settings.clientId) && Number(settings.clientId) > 0) return Number(settings.clientId);
  throw new Error(`client ${settings.clientId} needs a KID client number (1-99999): its id is not one`);
}
