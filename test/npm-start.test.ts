import got from 'got';
import { startDemoStack } from './helpers/demo-stack';

/**
 * `npm start` end to end, as a developer runs it: the dev server with its Web UI, the emulators,
 * the worker and one batch; then Ctrl-C (SIGINT) must leave no process behind.
 * Free ports and a temporary state folder keep it apart from a developer's own demo.
 */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface ListWorkflowsResponse {
  executions?: { execution: { workflowId: string }; status: string }[];
}

test('npm start runs a batch, shows its invoices in the Web UI, and Ctrl-C stops everything', async () => {
  const stack = await startDemoStack();
  const { ui: uiPort, codecServer: codecPort } = stack.ports;
  const output = () => stack.output();

  try {
    await stack.ready();
    expect(output()).toContain(`Temporal Web UI      http://localhost:${uiPort}`);
    expect(output()).toContain('client 1001: 5 invoice workflows started, 0 already existed (4 invoices, 1 credit notes');
    expect(output()).toMatch(/client 1001: .*channels: .*2 ehf.*; 1 not distributed/);
    expect(output()).toContain('not distributed: client 1001 invoice 10026: customer 10012 has no complete postal address');

    const query = encodeURIComponent("WorkflowType='invoiceWorkflow' AND ClientId='1001'");
    const listed = await got(`http://localhost:${uiPort}/api/v1/namespaces/default/workflows?query=${query}`).json<ListWorkflowsResponse>();
    expect((listed.executions ?? []).map((e) => e.execution.workflowId).sort()).toEqual([
      'credit-note-1001-10025',
      'invoice-1001-10023',
      'invoice-1001-10024',
      'invoice-1001-10026',
      'invoice-1001-10027',
    ]);

    const devServerLine = output().split('\n').find((line) => line.includes('"Temporal dev server is up"'));
    const devServerPid = (JSON.parse(devServerLine ?? '{}') as { pid?: number }).pid;
    expect(devServerPid).toEqual(expect.any(Number));

    // The Web UI is told where the codec server is, and the codec server answers there.
    const settings = await got(`http://localhost:${uiPort}/api/v1/settings`).json<{ Codec?: { Endpoint?: string } }>();
    expect(settings.Codec?.Endpoint).toBe(`http://localhost:${codecPort}`);
    expect((await got(`http://localhost:${codecPort}/healthz`).json<{ status: string }>()).status).toBe('ok');

    stack.child.kill('SIGINT');
    expect(await stack.exited).toBe(0);
    expect(output()).toContain('stopped; nothing left running');
    expect(isRunning(devServerPid!)).toBe(false);
  } finally {
    stack.cleanUp();
  }
});
