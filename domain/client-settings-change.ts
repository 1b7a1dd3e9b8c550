import { z } from 'zod';
import { accountMappingSchema, channelOverrideSchema, customerNoSchema, encryptedSecretSchema, kidSettingsSchema } from './client-settings';
import { EMAIL_ALTERNATIVES, patchConflicts } from './client-settings-rules';

/** Without zod, for the settings workflow (client-settings-rules.ts); here for everyone else. */
export { applySettingsPatch, describeChange, kidChanges, settingFields, settingsChanges, SettingsPatchError, type SettingChange } from './client-settings-rules';

/**
 * A change to a client's settings is a patch on the stored record: what it names changes, what it
 * leaves out keeps its stored value. Removing something is explicit (`removeAccountMapping`,
 * `clearChannelOverrides`), so re-running onboarding with one option can never drop the rest.
 * The settings workflow applies the patch to the record it holds (no read-modify-write race),
 * checking it with the same rules without zod (client-settings-rules.ts).
 */
export const clientSettingsPatchSchema = z
  .object({
    emailAlternative: z.literal(EMAIL_ALTERNATIVES).optional(),
    // Unwrapped: kidSettingsSchema's defaults would otherwise fill in what the operator left out.
    kid: z
      .object({
        scheme: kidSettingsSchema.shape.scheme.unwrap().optional(),
        length: kidSettingsSchema.shape.length.unwrap().optional(),
        clientNumber: kidSettingsSchema.shape.clientNumber,
      })
      .strict()
      .optional(),
    /** Set (or replace) the channel of these customers; other customers' overrides stay. */
    channelOverrides: z.record(customerNoSchema, channelOverrideSchema).optional(),
    /** Remove these customers' overrides. */
    clearChannelOverrides: z.array(customerNoSchema).optional(),
    /** Some or all accounts; merged into the stored mapping, which must end complete. */
    accountMapping: accountMappingSchema.partial().strict().optional(),
    /** Return data off: the account mapping is dropped. */
    removeAccountMapping: z.literal(true).optional(),
  })
  .strict()
  .superRefine((patch, context) => {
    for (const message of patchConflicts(patch)) context.addIssue({ code: 'custom', message });
  });
export type ClientSettingsPatch = z.infer<typeof clientSettingsPatchSchema>;

/** What the settings workflow's change update takes: the patch, and what onboarding verified. */
export const clientSettingsChangeSchema = z
  .object({
    patch: clientSettingsPatchSchema,
    /** A new client key (sealed), or none: the stored one stays. */
    clientKey: encryptedSecretSchema.optional(),
    /** The company name PowerOffice GO reported when the key was verified. */
    clientName: z.string().optional(),
    /** ISO 8601 instant of the change (workflow code has no clock of its own to trust for audit). */
    at: z.string(),
  })
  .strict();
export type ClientSettingsChange = z.infer<typeof clientSettingsChangeSchema>;
