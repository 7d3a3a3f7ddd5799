// A stand-in for the Prefect API, run inside the bench process: `POST /api/events` answers 204 with no body,
// as Prefect does. It counts the events by name so the bench can prove afterwards that every run delivered
// exactly the events its case sends, and nothing else arrived (a dry run must send nothing).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Buffer } from 'node:buffer';

export interface EventsServer {
  /** e.g. http://127.0.0.1:PORT/api */
  apiUrl: string;
  /** event name -> events received */
  counts: Map<string, number>;
  /** anything that is not a JSON array of named events POSTed to /api/events */
  problems: string[];
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1, on a free port. */
export async function startEventsServer(): Promise<EventsServer> {
  const counts = new Map<string, number>();
  const problems: string[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/api/events') {
        problems.push(`unexpected request: ${req.method} ${req.url}`);
        res.writeHead(404).end();
        return;
      }
      const names = eventNames(Buffer.concat(chunks).toString('utf8'));
      if (names === undefined) problems.push('POST /api/events: body is not a JSON array of named events');
      for (const name of names ?? []) counts.set(name, (counts.get(name) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  // An idle connection is kept 5 s, as Prefect's server (uvicorn) keeps it: a client that keeps its socket
  // for another request (Node's global agent, the floors') then has none to close before it exits, as
  // against Prefect. (A hint under Node's 1 s margin made every client close its socket, which costs the
  // first close ~1 ms: Node's net makes process.stderr.) close() ends the connections still open.
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    counts,
    problems,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The `event` of every item of a non-empty JSON array, or undefined when the body is anything else. */
function eventNames(body: string): string[] | undefined {
  try {
    const events: unknown = JSON.parse(body);
    if (!Array.isArray(events) || events.length === 0) return undefined;
    const names = events.map((event: unknown) => (event as { event?: unknown } | null)?.event);
    return names.every((name) => typeof name === 'string') ? (names as string[]) : undefined;
  } catch {
    return undefined; // not JSON: reported by the caller
  }
}
