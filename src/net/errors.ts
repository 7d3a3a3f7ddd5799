// How a failed request is told, whichever API it went to: the status line, a network error in one line,
// and whether it was the server's certificate (which fails the same way on every retry).
import { builtin, TimeoutError } from './http.ts';

export function statusLine(status: number): string {
  return `${status} ${builtin('node:http').STATUS_CODES[status] ?? ''}`.trim();
}

// TLS verification failures: the same certificate comes back on every retry, so they fail at once.
const CERTIFICATE_ERRORS =
  /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME_INVALID/;

export function isCertificateFailure(description: string): boolean {
  return CERTIFICATE_ERRORS.test(description);
}

/** A network error as one line: its code and message, the cause's when it has one. */
export function describeNetworkError(error: unknown): string {
  if (error instanceof TimeoutError) return error.message;
  const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err.code ?? err.cause?.code;
  const message = err.cause?.message ?? err.message ?? String(error);
  const text = code && !message.includes(code) ? `${code} ${message}` : message;
  return text.replace(/\s+/g, ' ').trim();
}
