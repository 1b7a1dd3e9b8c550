/**
 * The partner's pages for the end customer (Norwegian Bokmål). Everything interpolated is escaped:
 * the delivery id comes from the URL and must never become markup.
 */
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function page(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="nb">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title></head>`,
    `<body><main>${body}</main></body>`,
    '</html>',
  ].join('\n');
}

export interface CodeFormView {
  action: string;
  documentType: 'Invoice' | 'CreditNote';
  invoiceNo: number;
  /** Shown above the form after a wrong or missing code. */
  problem?: string;
}

function documentName(documentType: CodeFormView['documentType']): string {
  return documentType === 'CreditNote' ? 'kreditnota' : 'faktura';
}

export function codeFormPage(view: CodeFormView): string {
  const name = documentName(view.documentType);
  return page(`Åpne ${name} ${view.invoiceNo}`, [
    `<h1>Åpne ${escapeHtml(name)} nr. ${escapeHtml(String(view.invoiceNo))}</h1>`,
    `<p>Skriv inn tilgangskoden på 8 siffer fra e-posten for å se ${escapeHtml(name)}en.</p>`,
    view.problem ? `<p role="alert">${escapeHtml(view.problem)}</p>` : '',
    `<form method="post" action="${escapeHtml(view.action)}">`,
    '<label for="code">Tilgangskode</label>',
    '<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{8}" maxlength="8" required>',
    '<button type="submit">Vis dokumentet</button>',
    '</form>',
  ].join('\n'));
}

export function wrongCodeMessage(attemptsLeft: number): string {
  // "forsøk" is both singular and plural.
  return `Feil tilgangskode. Du har ${attemptsLeft} forsøk igjen.`;
}

export const MISSING_CODE_MESSAGE = 'Skriv inn tilgangskoden fra e-posten.';

export function lockedPage(): string {
  return page('Sperret', [
    '<h1>Dokumentet er sperret</h1>',
    '<p>Det er skrevet inn feil tilgangskode for mange ganger. Kontakt avsenderen av fakturaen for å få den tilsendt på nytt.</p>',
  ].join('\n'));
}

export function notFoundPage(): string {
  return page('Finnes ikke', '<h1>Fant ikke dokumentet</h1>\n<p>Lenken er ugyldig. Sjekk at du har kopiert hele lenken fra e-posten.</p>');
}
