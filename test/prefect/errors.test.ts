// The server's detail as a failed delivery quotes it: short, and without any part of a secret.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detailOf, hintFor, NEUTRAL_NAMES } from '../../src/prefect/errors.ts';
import { secretsOf } from '../../src/prefect/secrets.ts';

describe('detailOf', () => {
  test("FastAPI's detail, Prefect's exception_detail, or the text", () => {
    assert.equal(detailOf('{"detail":"Not Found"}'), ': Not Found');
    assert.equal(
      detailOf('{"detail":[{"loc":["body"],"msg":"Field required"}]}'),
      ': [{"loc":["body"],"msg":"Field required"}]',
    );
    assert.equal(
      detailOf(
        JSON.stringify({
          exception_message: 'Invalid request received.',
          exception_detail: [{ msg: 'bad id' }],
          request_body: [{ id: 'not-a-uuid' }],
        }),
      ),
      ': [{"msg":"bad id"}]',
    );
    assert.equal(detailOf('Bad gateway\n  from   upstream\n'), ': Bad gateway from upstream');
  });

  test('empty when there is nothing to say', () => {
    assert.equal(detailOf(''), '');
    assert.equal(detailOf('  \n'), '');
  });

  test('kept short', () => {
    const detail = detailOf(JSON.stringify({ detail: 'a'.repeat(2000) }));
    assert.equal(detail, `: ${'a'.repeat(500)}…`);
  });

  // Python's json.dumps and many servers escape characters as \uXXXX; the secret only appears decoded.
  const password = 'Tr0ub4dor&3-horse&battery';
  const secrets = secretsOf({ authString: `admin:${password}` });
  const unicodeEscaped = (text: string) =>
    text.replace(/[&<>]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

  test('a secret the server escaped (& as \\u0026) is removed after decoding', () => {
    const body = unicodeEscaped(JSON.stringify({ detail: `bad credentials admin:${password}` }));
    assert.ok(body.includes('\\u0026') && !body.includes(password));
    const detail = detailOf(body, secrets);
    assert.equal(detail, ': bad credentials ***');
  });

  test('an escaped secret straddling the 500-character cut leaves no part of itself', () => {
    const body = unicodeEscaped(JSON.stringify({ detail: `${'x'.repeat(490)}${password} trailing words` }));
    const detail = detailOf(body, secrets);
    assert.equal(detail, `: ${'x'.repeat(490)}*** traili…`);
    for (let length = 3; length <= password.length; length++) {
      assert.ok(!detail.includes(password.slice(0, length)), `${length} characters of the password`);
    }
  });
});

describe('hintFor', () => {
  test('neutral words unless the caller names its settings', () => {
    assert.match(hintFor(401, NEUTRAL_NAMES), /the API key must be a valid API key/);
    assert.match(hintFor(404, NEUTRAL_NAMES), /^Check the API URL:/);
    const names = { apiUrl: 'api-url', apiKey: 'api-key', authString: 'auth-string' };
    assert.match(hintFor(404, names), /^Check api-url:/);
    assert.match(hintFor(403, names), /api-key must .* auth-string must/);
    for (const status of [301, 302, 307, 308]) {
      assert.match(
        hintFor(status, names),
        /^The server redirects .*: set api-url to the address it redirects to/,
      );
    }
  });

  test("the proxy's own answers get the proxy's hints", () => {
    assert.match(hintFor(407, NEUTRAL_NAMES, true), /user:password in the proxy variable/);
    assert.match(hintFor(502, NEUTRAL_NAMES, true), /could not reach the Prefect server/);
  });
});
