// A stand-in for the Prefect API, run inside the bench process: `POST /api/events` answers 204 with no body,
// as Prefect does. It counts the events by name so the bench can prove afterwards that every floor and action
// run delivered exactly one event, and nothing else arrived (a dry run must send nothing).
import { createServer } from 'node:http';
import { Buffer } from 'node:buffer';

/** Starts the server on 127.0.0.1 (a free port); resolves to `{ apiUrl, counts, problems, close() }`. */
export async function startEventsServer() {
  const counts = new Map(); // event name -> requests
  const problems = []; // anything that is not one well-formed event POSTed to /api/events

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/api/events') {
        problems.push(`unexpected request: ${req.method} ${req.url}`);
        res.writeHead(404).end();
        return;
      }
      const name = eventName(Buffer.concat(chunks).toString('utf8'));
      if (name === undefined) problems.push('POST /api/events: body is not a JSON array of one named event');
      counts.set(name, (counts.get(name) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  // The children close their connections when they exit; do not let an idle keep-alive socket hold close().
  server.keepAliveTimeout = 1000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    counts,
    problems,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

function eventName(body) {
  try {
    const events = JSON.parse(body);
    if (Array.isArray(events) && events.length === 1 && typeof events[0]?.event === 'string') {
      return events[0].event;
    }
  } catch {
    // not JSON: reported by the caller
  }
  return undefined;
}
