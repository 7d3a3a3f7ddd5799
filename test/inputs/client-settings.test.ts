// Prefect's client settings from the environment: PREFECT_CLIENT_CUSTOM_HEADERS, PREFECT_API_SSL_CERT_FILE and
// PREFECT_API_TLS_INSECURE_SKIP_VERIFY, read as Prefect reads them; every error names the variable and
// never quotes a header's value.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  ClientSettingError,
  customHeaderValues,
  readClientSettings,
} from '../../src/inputs/client-settings.ts';
import { credentialSecrets } from '../../src/inputs/credentials.ts';
import { tempDir } from '../support/temp-dir.ts';

const SECRET = 'gw-token-7f3a9c2e';

function refused(env: NodeJS.ProcessEnv): string {
  try {
    readClientSettings(env);
  } catch (error) {
    assert.ok(error instanceof ClientSettingError, String(error));
    return error.message;
  }
  assert.fail('expected the settings to be refused');
}

describe('PREFECT_CLIENT_CUSTOM_HEADERS', () => {
  test('unset or empty: no headers', () => {
    assert.deepEqual(readClientSettings({}), {});
    assert.deepEqual(readClientSettings({ PREFECT_CLIENT_CUSTOM_HEADERS: '  ' }), {});
  });

  test('a JSON object of strings becomes the custom headers, values trimmed', () => {
    const env = {
      PREFECT_CLIENT_CUSTOM_HEADERS: `{"X-Gateway-Token": " ${SECRET} ", "Authorization": "Bearer gw"}`,
    };
    assert.deepEqual(readClientSettings(env), {
      customHeaders: { 'X-Gateway-Token': SECRET, Authorization: 'Bearer gw' },
    });
  });

  test('headers the client manages are ignored and listed, whatever their case, as Prefect ignores them', () => {
    const env = {
      PREFECT_CLIENT_CUSTOM_HEADERS: JSON.stringify({
        'user-agent': 'mine',
        'Prefect-Csrf-Token': 't',
        'Content-Length': '1',
        'X-Team': 'data',
      }),
    };
    assert.deepEqual(readClientSettings(env), {
      customHeaders: { 'X-Team': 'data' },
      ignoredHeaders: ['user-agent', 'Prefect-Csrf-Token', 'Content-Length'],
    });
  });

  test('malformed JSON is one sentence naming the variable and where, without the text', () => {
    const message = refused({ PREFECT_CLIENT_CUSTOM_HEADERS: `{"X-Gateway-Token": ${SECRET}}` });
    assert.equal(
      message,
      'PREFECT_CLIENT_CUSTOM_HEADERS is not valid JSON (at line 1, column 21): give a JSON object of header ' +
        'names and string values, e.g. {"X-Gateway-Token": "…"}.',
    );
  });

  test('anything but an object is refused', () => {
    assert.match(
      refused({ PREFECT_CLIENT_CUSTOM_HEADERS: '["X-A"]' }),
      /must be a JSON object .*, not an array\.$/,
    );
    assert.match(refused({ PREFECT_CLIENT_CUSTOM_HEADERS: '"X-A: b"' }), /, not a string\.$/);
  });

  test('a value that is not a string names the header, not the value', () => {
    assert.equal(
      refused({ PREFECT_CLIENT_CUSTOM_HEADERS: '{"X-Count": 7315}' }),
      'PREFECT_CLIENT_CUSTOM_HEADERS gives header "X-Count" a number; header values must be JSON strings.',
    );
    assert.match(refused({ PREFECT_CLIENT_CUSTOM_HEADERS: '{"X-A": null}' }), /"X-A" null;/);
  });

  test('an invalid header name is refused', () => {
    assert.match(
      refused({ PREFECT_CLIENT_CUSTOM_HEADERS: '{"X Gateway": "v"}' }),
      /^PREFECT_CLIENT_CUSTOM_HEADERS has "X Gateway", which is not a header name/,
    );
    assert.match(refused({ PREFECT_CLIENT_CUSTOM_HEADERS: '{"X-A:": "v"}' }), /not a header name/);
  });

  test('two names that differ only in case are one header: refused, naming both and neither value', () => {
    const message = refused({
      PREFECT_CLIENT_CUSTOM_HEADERS: `{"X-Gateway-Token": "${SECRET}", "x-gateway-token": "other-${SECRET}"}`,
    });
    assert.equal(
      message,
      'PREFECT_CLIENT_CUSTOM_HEADERS has both "X-Gateway-Token" and "x-gateway-token", one header (header ' +
        'names ignore case): give it once.',
    );
    assert.equal(
      refused({ PREFECT_CLIENT_CUSTOM_HEADERS: '{"User-Agent": "a", "user-agent": "b"}' }),
      'PREFECT_CLIENT_CUSTOM_HEADERS has both "User-Agent" and "user-agent", one header (header names ignore ' +
        'case): give it once.',
    );
  });

  test('a value with a line break (header injection) is refused without quoting it', () => {
    const message = refused({
      PREFECT_CLIENT_CUSTOM_HEADERS: JSON.stringify({ 'X-A': `${SECRET}\r\nX-Injected: 1` }),
    });
    assert.match(message, /^PREFECT_CLIENT_CUSTOM_HEADERS gives header "X-A" a value with a line break/);
    assert.ok(!message.includes(SECRET));
  });

  test('every value is a secret to mask, in the forms it travels in', () => {
    const env = {
      PREFECT_CLIENT_CUSTOM_HEADERS: JSON.stringify({
        'X-Gateway-Token': SECRET,
        Authorization: 'Bearer abcd1234',
      }),
    };
    assert.deepEqual(customHeaderValues(env), [SECRET, 'Bearer abcd1234']);
    const secrets = credentialSecrets(() => '', env);
    for (const secret of [SECRET, 'Bearer abcd1234', 'abcd1234']) assert.ok(secrets.includes(secret), secret);
  });

  test('malformed JSON is masked whole: the step fails without ever logging it', () => {
    const text = `{"X-Gateway-Token": ${SECRET}}`;
    assert.deepEqual(customHeaderValues({ PREFECT_CLIENT_CUSTOM_HEADERS: text }), [text]);
  });
});

describe('PREFECT_API_SSL_CERT_FILE and PREFECT_API_TLS_INSECURE_SKIP_VERIFY', () => {
  const dir = tempDir('emit-prefect-event-client-settings-');
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const caPath = join(dir, 'ca.pem');
  writeFileSync(caPath, pem);

  test('a CA file becomes the CAs for the server', () => {
    assert.deepEqual(readClientSettings({ PREFECT_API_SSL_CERT_FILE: caPath }), { tls: { ca: pem } });
  });

  test('a missing file, a directory, or a file without a certificate is refused, naming the variable', () => {
    assert.equal(
      refused({ PREFECT_API_SSL_CERT_FILE: join(dir, 'nope.pem') }),
      `PREFECT_API_SSL_CERT_FILE names "${join(dir, 'nope.pem')}", which cannot be read (ENOENT): give the ` +
        'path of a PEM file of CA certificates.',
    );
    assert.match(refused({ PREFECT_API_SSL_CERT_FILE: dir }), /which is not a file:/);
    const empty = join(dir, 'empty.pem');
    writeFileSync(empty, 'not a certificate');
    assert.match(refused({ PREFECT_API_SSL_CERT_FILE: empty }), /which holds no PEM certificate:/);
  });

  test('a file that reports 0 bytes and holds gigabytes is refused at the bound, not read whole', () => {
    // /proc/self/pagemap: stat says 0 bytes; reading it without a bound took 2.7 GB in 3 s.
    assert.equal(
      refused({ PREFECT_API_SSL_CERT_FILE: '/proc/self/pagemap' }),
      'PREFECT_API_SSL_CERT_FILE names "/proc/self/pagemap", which is more than 10485760 bytes, more than any ' +
        'CA bundle: give the path of a PEM file of CA certificates.',
    );
  });

  test("skip-verify takes Prefect's truth values, and wins over a CA file", () => {
    for (const yes of ['true', 'True', '1', 'yes', 'on']) {
      assert.deepEqual(
        readClientSettings({ PREFECT_API_TLS_INSECURE_SKIP_VERIFY: yes, PREFECT_API_SSL_CERT_FILE: caPath }),
        { tls: { rejectUnauthorized: false } },
        yes,
      );
    }
    for (const no of ['false', '0', 'no', 'off', '']) {
      assert.deepEqual(readClientSettings({ PREFECT_API_TLS_INSECURE_SKIP_VERIFY: no }), {}, no);
    }
  });

  test('a skip-verify value that is not a truth value is refused', () => {
    assert.equal(
      refused({ PREFECT_API_TLS_INSECURE_SKIP_VERIFY: 'sometimes' }),
      'PREFECT_API_TLS_INSECURE_SKIP_VERIFY must be true or false, not "sometimes".',
    );
  });
});
