// One HTTP POST with a deadline: over Node's own http/https, or through a proxy with undici, which is
// loaded only then (loading it costs ~50 ms of start-up on every run that does not need it).
import type { IncomingHttpHeaders } from 'node:http';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The attempt's deadline passed: connect, send and answer did not all happen within it. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

// An error answer is read for its detail only; a server that streams megabytes back is cut short.
const MAX_RESPONSE_BYTES = 64 * 1024;

export async function post(
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
  timeoutMs: number,
  proxy?: URL,
): Promise<HttpResponse> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    return proxy
      ? await postViaProxy(url, headers, body, signal, proxy)
      : await postDirect(url, headers, body, signal);
  } catch (error) {
    if (signal.aborted) throw new TimeoutError(`no answer within ${timeoutMs / 1000} s`);
    throw error;
  }
}

async function postDirect(
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
  signal: AbortSignal,
): Promise<HttpResponse> {
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    // agent: false gives each attempt a fresh connection, so a retry never reuses a broken socket and no
    // kept-alive socket holds the step open after the answer.
    const req = request(url, { method: 'POST', headers, signal, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function postViaProxy(
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
  signal: AbortSignal,
  proxy: URL,
): Promise<HttpResponse> {
  const { request, ProxyAgent } = await import('undici');
  const dispatcher = new ProxyAgent({ uri: proxy.href });
  try {
    const res = await request(url, { method: 'POST', headers, body, signal, dispatcher });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      headers: res.headers as IncomingHttpHeaders,
      body: text.slice(0, MAX_RESPONSE_BYTES),
    };
  } finally {
    await dispatcher.close();
  }
}
