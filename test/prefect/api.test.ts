// The API URL parsed once: the events endpoint, Cloud or self-hosted, and the UI link of an event.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiUrlError, eventUiUrl, parseApiUrl } from '../../src/prefect/api.ts';

const CLOUD = 'https://api.prefect.cloud/api/accounts/a1/workspaces/w1';
const ID = '0190b7c8-3f1e-7a2b-8c4d-5e6f708192a3';

function problem(text: string): string {
  try {
    parseApiUrl(text);
  } catch (error) {
    assert.ok(error instanceof ApiUrlError, String(error));
    return error.message;
  }
  assert.fail(`${text} was accepted`);
}

describe('parseApiUrl', () => {
  test('the base without trailing slashes, and {base}/events', () => {
    assert.equal(parseApiUrl(CLOUD).events.href, `${CLOUD}/events`);
    assert.equal(parseApiUrl(`${CLOUD}/`).base, CLOUD);
    assert.equal(
      parseApiUrl('http://prefect.internal:4200/api//').events.href,
      'http://prefect.internal:4200/api/events',
    );
  });

  test('a Cloud workspace URL names its account and workspace; a self-hosted one has none', () => {
    assert.deepEqual(parseApiUrl(CLOUD).cloud, { accountId: 'a1', workspaceId: 'w1' });
    assert.equal(parseApiUrl('http://localhost:4200/api').cloud, undefined);
  });

  test('problems as clauses, without naming the setting', () => {
    assert.equal(problem('ftp://prefect.example.com/api'), 'must use https or http, not ftp.');
    assert.match(problem('prefect.example.com/api'), /^must be an http\(s\) URL such as /);
    assert.equal(
      problem('https://admin:hunter2@prefect.example.com/api'),
      'must not hold credentials: put "user:password" in the auth string instead.',
    );
    // URL parsing would drop them without a word; the text is refused instead, naming what it holds.
    assert.equal(
      problem('https://prefect.example.com/a\npi'),
      'must not hold a line break (\\n): give one http(s) URL such as https://api.prefect.cloud/api/accounts/…/workspaces/….',
    );
    assert.match(problem('https://prefect.example.com/\tapi'), /^must not hold a tab \(\\t\): /);
  });

  test('a query or fragment is refused, even an empty "?" or "#" the URL parser drops', () => {
    for (const text of [
      'https://prefect.example.com/api?workspace=1',
      'https://prefect.example.com/api#events',
      'https://prefect.example.com/api?',
      'https://prefect.example.com/api#',
      'https://prefect.example.com/api/?#',
    ]) {
      assert.equal(problem(text), 'must not have a query or fragment: give the API base URL only.', text);
    }
  });
});

describe('eventUiUrl', () => {
  const event = { id: ID, occurred: '2026-01-31T23:59:59.000Z' };

  test('Prefect Cloud: the app URL of the account and workspace', () => {
    assert.equal(
      eventUiUrl(parseApiUrl('https://api.prefect.cloud/api/accounts/9b1c/workspaces/4e2f/'), event),
      `https://app.prefect.cloud/account/9b1c/workspace/4e2f/events/event/2026-01-31/${ID}`,
    );
  });

  test('a self-hosted server: its API URL without /api', () => {
    assert.equal(
      eventUiUrl(parseApiUrl('http://localhost:4200/api/'), event),
      `http://localhost:4200/events/event/2026-01-31/${ID}`,
    );
    assert.equal(
      eventUiUrl(parseApiUrl('https://tools.acme.example/prefect/api'), event),
      `https://tools.acme.example/prefect/events/event/2026-01-31/${ID}`,
    );
  });

  test('PREFECT_UI_URL, when given, is the UI base whatever the API URL', () => {
    assert.equal(
      eventUiUrl(parseApiUrl('https://prefect.acme.example/v2'), event, 'https://ui.acme.example/prefect/'),
      `https://ui.acme.example/prefect/events/event/2026-01-31/${ID}`,
    );
    assert.equal(
      eventUiUrl(parseApiUrl(CLOUD), event, ' https://app.prefect.cloud/account/a1/workspace/w1 '),
      `https://app.prefect.cloud/account/a1/workspace/w1/events/event/2026-01-31/${ID}`,
    );
  });

  test('undefined when the API URL has neither shape and no UI URL is given', () => {
    assert.equal(eventUiUrl(parseApiUrl('https://prefect.acme.example/'), event), undefined);
    assert.equal(eventUiUrl(parseApiUrl('https://prefect.acme.example/v2'), event, '  '), undefined);
    assert.equal(eventUiUrl(parseApiUrl('https://api.prefect.cloud/api/accounts/9b1c'), event), undefined);
  });
});
