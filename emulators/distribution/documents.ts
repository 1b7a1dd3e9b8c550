import { createHash } from 'node:crypto';
import { OUTGOING_EHF } from '../../domain/ehf/client-document';
import { parseXml } from '../../domain/ehf/xml-reader';

/**
 * What the partner checks of the documents it is handed, as a real print shop or access point
 * would: a PDF must be a PDF, an EHF must be XML whose root matches the document type. The
 * emulator keeps the bytes (for tests) and reports only size and SHA-256 in its admin listings.
 */
export interface DocumentSummary {
  bytes: number;
  sha256: string;
}

export interface PdfSummary extends DocumentSummary {
  fileName: string;
}

export class DocumentRejected extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'DocumentRejected';
  }
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

export function summarize(content: Buffer): DocumentSummary {
  return { bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') };
}

/** Decodes the base64 PDF; strictly, because Buffer.from(…, 'base64') silently skips garbage. */
export function decodePdf(base64: string, field = 'pdf.base64'): Buffer {
  if (base64.length % 4 !== 0 || !BASE64.test(base64)) throw new DocumentRejected(field, 'is not base64');
  const content = Buffer.from(base64, 'base64');
  if (!content.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) throw new DocumentRejected(field, 'is not a PDF (no %PDF- header)');
  return content;
}

/** An EHF must be well-formed XML with the UBL root element for its document type. */
export function checkUbl(ubl: string, documentType: 'Invoice' | 'CreditNote', field = 'ubl'): void {
  let root: string | undefined;
  try {
    root = parseXml(ubl, OUTGOING_EHF).documentElement?.localName ?? undefined;
  } catch {
    throw new DocumentRejected(field, 'is not well-formed XML');
  }
  if (root !== documentType) throw new DocumentRejected(field, `root element is ${root ?? 'missing'}, expected ${documentType} for reference.documentType ${documentType}`);
}
