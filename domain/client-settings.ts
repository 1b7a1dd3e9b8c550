import { z } from 'zod';
import {
  ACCOUNT_NO,
  CHANNEL_OVERRIDES,
  CLIENT_ID_MESSAGE,
  CUSTOMER_NO,
  DEFAULT_EMAIL_ALTERNATIVE,
  DEFAULT_KID,
  EMAIL_ALTERNATIVES,
  KEY_FINGERPRINT_FORM,
  KID_CLIENT_NUMBER,
  KID_LENGTH,
  KID_SCHEMES,
} from './client-settings-rules';
import { CLIENT_ID_PATTERN } from './workflow-ids';

/** Without zod, for the settings workflow (client-settings-rules.ts); here for everyone else. */
export { accountRoleNames, kidClientNumber, sameSettings } from './client-settings-rules';

/**
 * What Factoring Finans knows about one client (a company that sells it its invoices), as the
 * onboarding command takes it in. Pure: the client key arrives here already encrypted. The limits
 * live in client-settings-rules.ts, which the settings workflow checks changes with (no zod there).
 */
export const clientIdSchema = z.string().regex(CLIENT_ID_PATTERN, CLIENT_ID_MESSAGE);

const accountNo = z.number().int().min(ACCOUNT_NO.min).max(ACCOUNT_NO.max);

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

export const kidSettingsSchema = z.object({
  scheme: z.enum(KID_SCHEMES).default(DEFAULT_KID.scheme),
  /** Fixed per client, 4-25 digits (Mastercard Payment Services). */
  length: z.number().int().min(KID_LENGTH.min).max(KID_LENGTH.max).default(DEFAULT_KID.length),
  /**
   * Factoring Finans' number for the client, the KID's prefix (domain/kid.ts): unique per client.
   * Defaults to the client id when that is a number.
   */
  clientNumber: z.number().int().min(KID_CLIENT_NUMBER.min).max(KID_CLIENT_NUMBER.max).optional(),
});

/** A customer number in PowerOffice GO, the key of a channel override. */
export const customerNoSchema = z.string().regex(CUSTOMER_NO.form, CUSTOMER_NO.message);

/** A per-customer channel chosen by the client; it wins over the rules (domain/channel.ts). */
export const channelOverrideSchema = z.enum(CHANNEL_OVERRIDES);
export type ChannelOverride = z.infer<typeof channelOverrideSchema>;

/** What an operator decides for a client; everything else is derived or verified. */
export const clientSettingsInputSchema = z.object({
  clientId: clientIdSchema,
  /** 1 = e-mail with link and code (the default, opening is tracked); 2 = e-mail with the PDF attached. */
  emailAlternative: z.literal(EMAIL_ALTERNATIVES).default(DEFAULT_EMAIL_ALTERNATIVE),
  kid: kidSettingsSchema.default({ ...DEFAULT_KID }),
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
  fingerprint: z.string().regex(KEY_FINGERPRINT_FORM),
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
