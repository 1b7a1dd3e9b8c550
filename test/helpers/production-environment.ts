/**
 * A complete DEPLOYMENT_ENV=production environment for the worker and the webhook that passes every
 * production rule: none of its values is a demo value, none of its URLs an emulator's. Tests spoil
 * one variable at a time to see that exact variable refused.
 */
export const PRODUCTION_FACTORING_FINANS_SETTINGS = {
  name: 'Factoring Finans AS',
  organisationNumber: '987654309',
  bankAccount: '12062500008',
  address: { streetName: 'Kirkegata 15', postalZone: '0153', cityName: 'Oslo', countryCode: 'NO' },
  email: 'faktura@factoringfinans.no',
};

/** 32 bytes that are not text (as `openssl rand -base64 32` gives), fixed so a failure reproduces. */
export const PRODUCTION_ENCRYPTION_KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 97 + 131) % 256)).toString('base64');

/** Another 32 non-text bytes for the payload codec (TEMPORAL_CODEC_KEYS). */
export const PRODUCTION_CODEC_KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 89 + 7) % 256)).toString('base64');

export function productionEnvironment(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    DEPLOYMENT_ENV: 'production',
    TEMPORAL_ADDRESS: 'temporal.factoringfinans.internal:7233',
    POWEROFFICE_ENVIRONMENT: 'production',
    POWEROFFICE_APPLICATION_KEY: '6f1c2b7e-90d4-4f0a-b3c5-1e2d3f4a5b6c',
    POWEROFFICE_SUBSCRIPTION_KEY: '8a4d0c9b7e6f45a1b2c3d4e5f6a7b8c9',
    CLIENT_KEY_ENCRYPTION_KEY: PRODUCTION_ENCRYPTION_KEY,
    CLIENT_KEY_ENCRYPTION_KEY_ID: 'k1',
    DISTRIBUTION_PARTNER_BASE_URL: 'https://api.distribution-partner.no/',
    DISTRIBUTION_PARTNER_API_KEY: 'pk_live_4Jx9Qe2Lm7Rt5Vb1',
    LEDGER_BASE_URL: 'https://ledger.factoringfinans.no/',
    LEDGER_API_KEY: 'lk_7Hd2Wq9Zp4Ns8Kc3',
    ACCESS_CODE_SECRET: 'q3V8zK1mR6tY0pL5wE2uI9oA4sD7fG0h',
    WEBHOOK_SIGNING_SECRET: 'N5bX2cV7mZ1aS8dF4gH0jK6lQ3wE9rTy',
    FACTORING_FINANS_SETTINGS: JSON.stringify(PRODUCTION_FACTORING_FINANS_SETTINGS),
    TEMPORAL_CODEC_KEYS: `p1:${PRODUCTION_CODEC_KEY}`,
    TEMPORAL_CODEC_CURRENT_KEY_ID: 'p1',
    CODEC_SERVER_AUTH_TOKEN: 'Zr4Tq8Wn2Yc6Vb0Mx3Ls7Kd1Hf5Gj9Pa',
    CODEC_SERVER_CORS_ORIGINS: 'https://temporal-ui.factoringfinans.no',
    LOG_LEVEL: 'warn',
    ...overrides,
  };
}
