/**
 * A workflow's page in the Temporal Web UI (TEMPORAL_UI_URL): what an operator opens to see its
 * history, summary and current details. Ids are path segments: each is encoded.
 */
export function workflowUiUrl(webUiUrl: string, namespace: string, workflowId: string, runId: string): string {
  return `${webUiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}`;
}
