// Secrets in every form they travel in, and their removal from text.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { redact, redactAndCut, secretsOf } from '../../src/prefect/secrets.ts';

describe('redact and secretsOf', () => {
  test('redact masks every occurrence of every secret', () => {
    assert.equal(redact('key k1, again k1, and k2', ['k1', 'k2']), 'key ***, again ***, and ***');
    assert.equal(redact('nothing to hide', []), 'nothing to hide');
  });

  test('secretsOf covers the key, the auth string, its base64 and the password', () => {
    const secrets = secretsOf({ apiKey: 'pnu_TESTKEY_abc123', authString: 'admin:s3cr3t-pass' });
    for (const secret of [
      'pnu_TESTKEY_abc123',
      'admin:s3cr3t-pass',
      'YWRtaW46czNjcjN0LXBhc3M=',
      's3cr3t-pass',
    ]) {
      assert.ok(secrets.includes(secret), secret);
    }
    assert.deepEqual(secretsOf({}), []);
  });
});

describe('secretsOf edge cases', () => {
  test('a secret quoted inside JSON (escaped quote or backslash) is hidden too', () => {
    const secrets = secretsOf({ authString: 'admin:pa"ss\\word' });
    const echoed = JSON.stringify({ detail: [{ input: 'admin:pa"ss\\word' }] });
    assert.ok(!redact(echoed, secrets).includes('pa\\"ss'), redact(echoed, secrets));
  });

  test('proxy credentials: the pair, its base64 and the password', () => {
    const secrets = secretsOf({ proxyAuth: ['proxyuser:pr0xy-s3cret'] });
    for (const secret of [
      'proxyuser:pr0xy-s3cret',
      'pr0xy-s3cret',
      Buffer.from('proxyuser:pr0xy-s3cret').toString('base64'),
    ]) {
      assert.ok(secrets.includes(secret), secret);
    }
    assert.ok(!secrets.includes('proxyuser'), 'a user name alone is not a secret');
  });
});

describe('redactAndCut', () => {
  const secret = 'pnu_SECRET_0123456789';

  test('a secret straddling the cut leaves nothing of itself', () => {
    const text = `${'x'.repeat(490)}${secret} and more`;
    assert.equal(redactAndCut(text, [secret], 500), `${'x'.repeat(490)}*** and mo…`);
  });

  test('a text that ends in the start of a secret (a truncated body) loses that start when cut', () => {
    const cut = redactAndCut(`${'x'.repeat(495)}${secret.slice(0, 10)}`, [secret], 500);
    assert.equal(cut, `${'x'.repeat(495)}…`);
  });

  test('short texts are only redacted', () => {
    assert.equal(redactAndCut(`key ${secret}`, [secret], 500), 'key ***');
  });
});
