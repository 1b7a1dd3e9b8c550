import { existsSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_CODEC_SERVER_TOKEN } from '../../config/env-schema';
import { startDemoStack, type DemoStack } from '../helpers/demo-stack';

/**
 * The Web UI of `npm start`'s stack in the distribution's Chromium (Debian's `chromium`, which
 * .ci/run installs; CHROMIUM_PATH points elsewhere): an operator finds an invoice by its number,
 * sees its state, and reads its input decoded by the codec server, while Temporal itself holds only
 * ciphertext. Skipped only when no Chromium is installed.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const withChromium = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM)) console.warn(`No Chromium at ${CHROMIUM} (apt-get install -y chromium, as .ci/run does): the Web UI test is skipped.`);

/** The demo seed's invoice 10023 of client 1001: sent by EHF in `npm start`'s batch. */
const INVOICE_NO = 10023;

withChromium('the Web UI with the codec server', () => {
  let stack: DemoStack;
  let browser: Browser;
  let ui: string;
  let codec: string;

  beforeAll(async () => {
    stack = await startDemoStack();
    await stack.ready();
    if (!stack.output().includes('Press Ctrl-C to stop everything.')) throw new Error(`npm start did not come up:\n${stack.output().slice(-3000)}`);
    ui = `http://localhost:${stack.ports.ui}`;
    codec = `http://localhost:${stack.ports.codecServer}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    if (stack) {
      stack.child.kill('SIGINT');
      await stack.exited;
      stack.cleanUp();
    }
  }, 60_000);

  /** A browser whose UI sends its cookies to the codec server: the UI's Codec Server settings, as an operator ticks them. */
  async function operatorBrowser(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    // The keys the UI keeps its Codec Server settings under (each value JSON), set before it loads.
    const settings = { overrideRemoteCodecConfiguration: true, endpoint: codec, includeCredentials: true };
    await context.addInitScript({
      content: Object.entries(settings)
        .map(([key, value]) => `localStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(JSON.stringify(value))});`)
        .join('\n'),
    });
    return { context, page: await context.newPage() };
  }

  test("a signed-in operator finds the invoice by its number, sees its summary, details and state, and reads its input in clear", async () => {
    const { context, page } = await operatorBrowser();
    try {
      await page.goto(`${codec}/login`);
      await page.fill('input[name=token]', DEMO_CODEC_SERVER_TOKEN);
      await page.click('button[type=submit]');
      await page.getByText('Signed in').waitFor();

      await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent(`InvoiceNo=${INVOICE_NO}`)}`);
      const found = page.locator('a[href*="/workflows/invoice-1001-"]').first();
      await found.waitFor({ timeout: 30_000 });
      await found.click();

      // The input, decrypted by the codec server: the invoice's own number in the JSON.
      await page.getByText(`"invoiceNo": ${INVOICE_NO}`).first().waitFor({ timeout: 30_000 });
      // A step's summary on the timeline (user metadata: a payload too, so read through the codec server).
      await page.getByText(`assess ${INVOICE_NO}: postal address, EHF rules, KID, channel`).first().waitFor({ timeout: 30_000 });
      // Its static summary (set by the batch) and current details, decoded too; the UI renders each in a frame of its own.
      await page.getByRole('tab', { name: 'User Metadata' }).click();
      await page.frameLocator('#user-metadata-summary').getByText(new RegExp(`^Invoice ${INVOICE_NO} · client 1001 · .+ kr$`)).waitFor({ timeout: 30_000 });
      await page.frameLocator('#user-metadata-current-details').getByText('Delivered', { exact: true }).first().waitFor({ timeout: 30_000 });
      await page.getByRole('tab', { name: 'Search Attributes' }).click();
      await page.getByText('"DistributionState": "Delivered"').first().waitFor({ timeout: 30_000 });
    } finally {
      await context.close();
    }
  });

  test('Temporal stores the input encrypted, and a browser not signed in cannot read it', async () => {
    const connection = await Connection.connect({ address: `127.0.0.1:${stack.ports.temporal}` });
    try {
      // A client without our data converter: what Temporal's database holds.
      const raw = new Client({ connection });
      const ids: string[] = [];
      for await (const workflow of raw.workflow.list({ query: `InvoiceNo=${INVOICE_NO}` })) ids.push(workflow.workflowId);
      expect(ids).toHaveLength(1);
      const history = await raw.workflow.getHandle(ids[0]!).fetchHistory();
      const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      expect(Buffer.from(input?.metadata?.encoding ?? new Uint8Array()).toString()).toBe('binary/encrypted');
      expect(Buffer.from(input?.data ?? new Uint8Array()).toString('latin1')).not.toContain('invoiceNo');
    } finally {
      await connection.close();
    }

    const { context, page } = await operatorBrowser();
    try {
      await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent(`InvoiceNo=${INVOICE_NO}`)}`);
      await page.locator('a[href*="/workflows/invoice-1001-"]').first().click({ timeout: 30_000 });
      await page.locator('#content').getByText('Codec Server could not connect').waitFor({ timeout: 30_000 });
      expect(await page.textContent('body')).not.toContain(`"invoiceNo": ${INVOICE_NO}`);
    } finally {
      await context.close();
    }
  });
});
