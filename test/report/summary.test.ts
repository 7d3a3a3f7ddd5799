// The job summary and the UI link: exact Markdown for a normal event, and hostile strings that must stay text.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PrefectEvent } from '../../src/event/schema.ts';
import {
  batchSummaryMarkdown,
  escapeMarkdown,
  MAX_SUMMARY_ROWS,
  summaryMarkdown,
} from '../../src/report/summary.ts';

const ID = '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f';
const EARLIER_ID = '0192f7a1-0000-7000-8000-000000000001';
// Late in the evening in UTC: the UI's date is the UTC date of occurred.
const OCCURRED = '2026-01-31T23:30:00.000Z';

const EVENT: PrefectEvent = {
  occurred: OCCURRED,
  event: 'acme.model.deployed',
  resource: { 'prefect.resource.id': 'acme.model.churn', 'prefect.resource.name': 'Churn model' },
  related: [
    { 'prefect.resource.id': 'github.commit.6dcb09b5', 'prefect.resource.role': 'commit' },
    {
      'prefect.resource.id': 'github.user.octocat',
      'prefect.resource.role': 'actor',
      'prefect.resource.name': 'octocat',
    },
  ],
  payload: { version: '1.4.0' },
  id: ID,
  follows: EARLIER_ID,
};

/** What a reader sees: numeric character references decoded. */
const rendered = (markdown: string) =>
  markdown.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

describe('summaryMarkdown', () => {
  test('a normal event: a heading and a two-column table', () => {
    const url = `https://app.prefect.cloud/account/9b1c/workspace/4e2f/events/event/2026-01-31/${ID}`;
    assert.equal(
      summaryMarkdown({ event: EVENT, outcome: 'emitted', url }),
      [
        '### Prefect event acme.model.deployed',
        '',
        '| | |',
        '| --- | --- |',
        '| Outcome | ✅ emitted |',
        '| Event | acme.model.deployed |',
        '| Resource | acme.model.churn (Churn model) |',
        '| Related | commit: github.commit.6dcb09b5<br>actor: github.user.octocat (octocat) |',
        `| Id | ${ID} |`,
        `| Occurred | ${OCCURRED} |`,
        `| Follows | ${EARLIER_ID} |`,
        `| Prefect | [Open the event in Prefect](${url}) |`,
        '',
      ].join('\n'),
    );
  });

  test('each outcome; no link row without a URL; dashes for no related and no follows', () => {
    const plain = { ...EVENT, related: [], follows: null };
    const rows = (outcome: 'dry run' | 'skipped' | 'failed') =>
      summaryMarkdown({ event: plain, outcome }).split('\n');
    assert.equal(rows('dry run')[4], '| Outcome | 🧪 dry run: not sent |');
    assert.equal(rows('skipped')[4], '| Outcome | ⏭️ skipped: no API URL |');
    assert.equal(rows('failed')[4], '| Outcome | ❌ failed |');
    const failed = rows('failed');
    assert.equal(failed[7], '| Related | — |');
    assert.equal(failed[10], '| Follows | — |');
    assert.equal(
      failed.some((line) => line.startsWith('| Prefect')),
      false,
    );
  });

  test('parentheses in the link cannot end it early', () => {
    const markdown = summaryMarkdown({
      event: EVENT,
      outcome: 'emitted',
      url: 'http://localhost:4200/x(y)/events',
    });
    assert.ok(markdown.includes('[Open the event in Prefect](http://localhost:4200/x%28y%29/events) |'));
  });

  describe('hostile strings stay text', () => {
    const TITLE = '</td><script>alert(1)</script>';
    const hostile: PrefectEvent = {
      ...EVENT,
      event: 'acme.a|b `deployed`\n# Heading',
      resource: {
        'prefect.resource.id': 'acme.model|churn',
        'prefect.resource.name': '![x](https://evil.example/x.png)',
      },
      related: [
        {
          'prefect.resource.id': 'github.pull-request.o/r/7',
          'prefect.resource.role': 'pull-request',
          'prefect.resource.name': TITLE,
        },
        {
          'prefect.resource.id': 'acme.link',
          'prefect.resource.role': 'a|b',
          'prefect.resource.name': '[click](javascript:alert(1))',
        },
        {
          'prefect.resource.id': 'acme.lines',
          'prefect.resource.role': 'lines',
          'prefect.resource.name': 'one\ntwo\r\n| Injected | row |\rthree **bold** _em_ ~~gone~~ &amp; <b>',
        },
      ],
    };
    const markdown = summaryMarkdown({ event: hostile, outcome: 'emitted' });
    const lines = markdown.split('\n');

    test('the table keeps its rows and its two cells a row', () => {
      assert.equal(lines.length, 12); // heading, blank, header, rule, 7 rows, final newline
      assert.equal(lines[0]?.startsWith('### Prefect event '), true);
      assert.equal(lines.filter((line) => line.startsWith('|')).length, 9);
      for (const line of lines.filter((line) => line.startsWith('|'))) {
        assert.equal(line.split('|').length - 1, 3, line); // | name | value |
      }
      assert.deepEqual(
        lines.slice(4).map((line) => line.split('|')[1]?.trim()),
        ['Outcome', 'Event', 'Resource', 'Related', 'Id', 'Occurred', 'Follows', undefined],
      );
    });

    test('no HTML, no image, no link, no code span', () => {
      assert.equal(markdown.replaceAll('<br>', '').includes('<'), false);
      assert.equal(markdown.includes('!['), false);
      assert.equal(markdown.includes(']('), false);
      assert.equal(markdown.includes('`'), false);
      assert.equal(markdown.includes('**'), false);
      // Three related resources, joined by our own two line breaks, and no other.
      assert.equal(markdown.split('<br>').length - 1, 2);
    });

    test('the reader still sees the original text', () => {
      const text = rendered(markdown);
      assert.ok(text.includes(`pull-request: github.pull-request.o/r/7 (${TITLE})`));
      assert.ok(text.includes('a|b: acme.link ([click](javascript:alert(1)))'));
      assert.ok(text.includes('acme.model|churn (![x](https://evil.example/x.png))'));
      assert.ok(text.startsWith('### Prefect event acme.a|b `deployed` # Heading\n'));
      assert.ok(text.includes('one two | Injected | row | three **bold** _em_ ~~gone~~ &amp; <b>'));
    });
  });
});

describe('escapeMarkdown', () => {
  test('writes Markdown and HTML syntax characters as numeric character references', () => {
    assert.equal(escapeMarkdown('a|b'), 'a&#124;b');
    assert.equal(escapeMarkdown('<script>'), '&#60;script&#62;');
    assert.equal(escapeMarkdown('![x](y)'), '&#33;&#91;x&#93;&#40;y&#41;');
    assert.equal(escapeMarkdown('`code`'), '&#96;code&#96;');
    assert.equal(escapeMarkdown('&amp;'), '&#38;amp;');
    assert.equal(escapeMarkdown('*_~#\\'), '&#42;&#95;&#126;&#35;&#92;');
  });

  test('turns every kind of line break into a space', () => {
    assert.equal(escapeMarkdown('one\ntwo\r\nthree\rfour'), 'one two three four');
  });

  test('leaves ordinary text alone', () => {
    for (const text of [
      'acme.model.deployed',
      'octo-org/octo-repo',
      'refs/heads/main',
      'Churn model v1.4.0',
      'café 🚀',
    ]) {
      assert.equal(escapeMarkdown(text), text);
    }
  });

  test('round trip: what a reader sees is the original text', () => {
    const text = 'a |b| <i>x</i> [l](u) ![i](s) `c` *e* _e_ ~s~ # h & "q" \'q\' {t} $m$ \\n';
    const escaped = escapeMarkdown(text);
    assert.equal(rendered(escaped), text);
    assert.equal(/[<>|`[\]()!*_~#&"'{}$\\]/.test(escaped.replace(/&#\d+;/g, '')), false);
  });
});

describe('the Prefect link in the summary', () => {
  test('parentheses and pipes in the URL are percent-encoded, so the link and the table row hold', () => {
    const markdown = summaryMarkdown({ event: EVENT, outcome: 'emitted', url: 'https://h/x|y/(z)/events' });
    const row = markdown.split('\n').find((line) => line.startsWith('| Prefect |'));
    assert.equal(row, '| Prefect | [Open the event in Prefect](https://h/x%7Cy/%28z%29/events) |');
  });

  test('whatever a parsed URL may still hold that Markdown or HTML reads is percent-encoded', () => {
    // A host may hold quotes, backticks and braces after URL parsing; a path, quotes and brackets.
    const url = 'https://a"b`c{d}.example/x\'y*z_[w]!~/<img src=x onerror=alert(1)>&amp;/events';
    const markdown = summaryMarkdown({ event: EVENT, outcome: 'emitted', url });
    const row = markdown.split('\n').find((line) => line.startsWith('| Prefect |'));
    assert.equal(
      row,
      '| Prefect | [Open the event in Prefect](https://a%22b%60c%7Bd%7D.example/x%27y%2Az_%5Bw%5D!~/' +
        '%3Cimg%20src=x%20onerror=alert%281%29%3E%26amp;/events) |',
    );
  });
});

describe('what GitHub would turn into a link, and what would grow without bound', () => {
  test('URLs, www. hosts and addresses in untrusted text do not become links, and still read the same', () => {
    const text = 'see https://evil.example/login or www.evil.example or admin@evil.example';
    const escaped = escapeMarkdown(text);
    assert.equal(/https:\/\/|www\.|@/i.test(escaped), false, escaped);
    assert.equal(rendered(escaped), text);
  });

  test('a cell is cut at 300 characters', () => {
    const escaped = escapeMarkdown('x'.repeat(10_000));
    assert.equal(escaped, `${'x'.repeat(300)}…`);
  });

  test('a summary of the largest event stays far under the 1 MiB a step may write', () => {
    const label = 'y'.repeat(1000);
    const related = Array.from({ length: 100 }, (_, i) => ({
      'prefect.resource.id': `${label}${i}`,
      'prefect.resource.role': label,
      'prefect.resource.name': label,
    }));
    const markdown = summaryMarkdown({ event: { ...EVENT, related }, outcome: 'emitted' });
    assert.ok(Buffer.byteLength(markdown) < 100_000, `${Buffer.byteLength(markdown)} bytes`);
  });
});

describe('batchSummaryMarkdown', () => {
  const events = Array.from({ length: 1000 }, (_, i) => ({
    ...EVENT,
    event: `acme.table.rebuilt`,
    id: `${i}`,
  }));

  test('thousands of events: the outcome, a row for each of the first 50, then a count', () => {
    const markdown = batchSummaryMarkdown({ events, outcome: 'emitted', emittedCount: 1000 });
    const lines = markdown.split('\n');
    assert.equal(lines[0], '### Prefect events: 1000');
    assert.equal(lines[2], '✅ emitted');
    assert.equal(lines[4], '| Event | Resource | Id | Occurred |');
    assert.equal(lines.filter((line) => line.startsWith('| acme.table.rebuilt |')).length, MAX_SUMMARY_ROWS);
    assert.equal(lines.at(-2), '…and 950 more events, not listed here.');
    assert.ok(Buffer.byteLength(markdown) < 20_000);
  });

  test('a failure after some requests succeeded says how many were emitted', () => {
    const markdown = batchSummaryMarkdown({ events: events.slice(0, 3), outcome: 'failed', emittedCount: 2 });
    assert.ok(markdown.includes('❌ failed (2 of 3 emitted before it failed)'));
    assert.equal(markdown.includes('more event'), false);
  });
});
