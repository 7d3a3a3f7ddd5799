// The user's documentation as the contract tests read it: README.md and every Markdown page under docs/, and
// the fenced code blocks in them, each named by its page and line.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

export interface CodeBlock {
  language: string;
  text: string;
  /** "PAGE:LINE `first telling line`" (LINE: the block's first), to name it in test names and failures. */
  label: string;
}

/** README.md and every Markdown file under docs/, as paths from the repository's root. */
export function docPages(): string[] {
  const docs = readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.md'))
    .map((path) => join('docs', path))
    .sort();
  return ['README.md', ...docs];
}

/** The fenced code blocks of every page, also the indented ones inside lists. */
export function codeBlocks(pages: string[] = docPages()): CodeBlock[] {
  return pages.flatMap((page) => blocksOf(page, readFileSync(join(root, page), 'utf8')));
}

function blocksOf(page: string, markdown: string): CodeBlock[] {
  const found: CodeBlock[] = [];
  for (const match of markdown.matchAll(/^( *)```(\w*)\n([\s\S]*?)^\1```$/gm)) {
    const text = match[3] ?? '';
    const line = markdown.slice(0, match.index).split('\n').length + 1;
    // The first line that says something: `{` alone names nothing, `"name": "Deploy failed",` does.
    const firstLine = text.split('\n').find((l) => /\w/.test(l)) ?? '';
    found.push({ language: match[2] ?? '', text, label: `${page}:${line} \`${firstLine.trim()}\`` });
  }
  return found;
}
