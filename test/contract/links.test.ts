// Every relative link in the user's documentation and CONTRIBUTING.md leads somewhere: the file is in the
// repository, and a #anchor is a heading of the page it names (as GitHub makes anchors from headings).
// A user who follows a dead link from the README has nothing else to go on.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { docPages } from '../support/doc-pages.ts';

const root = resolve(import.meta.dirname, '../..');

interface Link {
  target: string;
  /** "PAGE:LINE", to name it in a failure. */
  place: string;
}

/** The text of a page with code (fenced blocks, `spans`) blanked out: a link there is an example, not a link. */
function prose(markdown: string): string {
  const blank = (code: string) => code.replace(/[^\n]/g, ' ');
  return markdown.replace(/^( *)```[\s\S]*?^\1```$/gm, blank).replace(/`[^`\n]*`/g, blank);
}

/** Inline links `[text](target)` (the text may span lines) and reference definitions `[name]: target`. */
function linksOf(page: string): Link[] {
  const text = prose(readFileSync(join(root, page), 'utf8'));
  const found = [
    ...text.matchAll(/\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g),
    ...text.matchAll(/^ {0,3}\[[^\]]+\]:\s+<?([^\s>]+)>?/gm),
  ];
  return found.map((match) => ({
    target: match[1] ?? '',
    place: `${page}:${text.slice(0, match.index).split('\n').length}`,
  }));
}

/** GitHub's anchor of a heading: its text lower-cased, punctuation dropped, spaces made hyphens. */
function slug(heading: string): string {
  const text = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]*>/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replaceAll(' ', '-');
}

/** The anchors of a page: one a heading (a repeated one gets -1, -2, ... as on GitHub), and explicit ids. */
function anchorsOf(path: string): Set<string> {
  const markdown = readFileSync(path, 'utf8').replace(/^( *)```[\s\S]*?^\1```$/gm, '');
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of markdown.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(match[1] ?? '');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const match of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1] ?? '');
  return anchors;
}

/** Why a relative link leads nowhere, or undefined when it leads somewhere. */
function deadEnd(page: string, target: string): string | undefined {
  const [path = '', anchor] = target.split('#');
  const file = path === '' ? join(root, page) : resolve(root, dirname(page), decodeURI(path));
  const inRepository = relative(root, file);
  if (inRepository.startsWith('..')) return `leads out of the repository (${inRepository})`;
  if (!existsSync(file)) return `no file ${inRepository}`;
  if (anchor === undefined || anchor === '') return undefined;
  if (!file.endsWith('.md')) return `an anchor into ${inRepository}, which is not Markdown`;
  return anchorsOf(file).has(anchor) ? undefined : `no heading in ${inRepository} makes #${anchor}`;
}

const pages = [...docPages(), 'CONTRIBUTING.md'];

for (const page of pages) {
  test(`every relative link of ${page} leads to a file and a heading that exist`, () => {
    const dead = linksOf(page)
      .filter((link) => !/^[a-z][a-z+.-]*:/i.test(link.target))
      .map((link) => ({ ...link, why: deadEnd(page, link.target) }))
      .filter((link) => link.why !== undefined)
      .map((link) => `${link.place} (${link.target}): ${link.why}`);
    assert.deepEqual(dead, []);
  });
}

test("the anchors are GitHub's: punctuation dropped, code kept as text, link text kept", () => {
  assert.equal(slug('Several events in one step'), 'several-events-in-one-step');
  assert.equal(slug('`fail-on-error`, retries & time'), 'fail-on-error-retries--time');
  assert.equal(slug("Prefect's client settings"), 'prefects-client-settings');
  assert.equal(slug('[Try it](x.md) locally'), 'try-it-locally');
});
