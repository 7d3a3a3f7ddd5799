// Validates action metadata (default: action.yml) against GitHub's own action.yml schema, the one the
// GitHub Actions language service and VS Code extension use (@actions/workflow-parser, which knows
// `runs.using: node24`). actionlint checks the workflows but not action.yml itself. Then what the GitHub
// Marketplace asks beyond the schema: a description under 125 characters (it refuses to publish a longer
// one) and an author other than the action's own name.
//
//   node scripts/check-action-metadata.mjs [file ...]
//
// Needs the devDependency @actions/workflow-parser. Exits 1 on any error, listing file:line:column.
import { readFile } from 'node:fs/promises';
import { registerHooks } from 'node:module';
import { load } from 'js-yaml';

// The GitHub Marketplace refuses to publish an action whose description has 125 characters or more.
const MAX_DESCRIPTION = 124;

// @actions/workflow-parser imports its JSON schemas without `with { type: 'json' }` (it targets
// bundlers), which Node rejects; add the attribute for that package's own .json files.
registerHooks({
  load(url, context, nextLoad) {
    if (url.endsWith('.json') && url.includes('/@actions/workflow-parser/')) {
      return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
    }
    return nextLoad(url, context);
  },
});

let parser;
try {
  const { NoOperationTraceWriter } = await import('@actions/workflow-parser/templates/trace-writer');
  const { convertActionTemplate, parseAction } = await import('@actions/workflow-parser/actions/index');
  parser = { NoOperationTraceWriter, convertActionTemplate, parseAction };
} catch (error) {
  console.error(`Cannot load @actions/workflow-parser (npm install it as a devDependency): ${error}`);
  process.exit(2);
}

const files = process.argv.length > 2 ? process.argv.slice(2) : ['action.yml'];
let count = 0;
for (const name of files) {
  const content = await readFile(name, 'utf8');
  const { context, value } = parser.parseAction({ name, content }, new parser.NoOperationTraceWriter());
  if (value !== undefined && context.errors.count === 0) parser.convertActionTemplate(context, value);
  for (const error of context.errors.getErrors()) {
    const at = error.range ? `:${error.range.start.line}:${error.range.start.column}` : '';
    console.error(`${name}${at}: ${error.rawMessage}`);
    count += 1;
  }
  for (const problem of marketplaceProblems(load(content))) {
    console.error(`${name}: ${problem}`);
    count += 1;
  }
}
if (count > 0) {
  console.error(`${count} error(s) in action metadata.`);
  process.exit(1);
}
console.error(`Action metadata OK: ${files.join(', ')}`);

/** What the Marketplace would refuse or show badly, for metadata the schema accepts. */
function marketplaceProblems(action) {
  const problems = [];
  const description = String(action?.description ?? '');
  if (description.length > MAX_DESCRIPTION) {
    problems.push(
      `description has ${description.length} characters; the Marketplace refuses to publish ${MAX_DESCRIPTION + 1} or more.`,
    );
  }
  const words = (text) =>
    String(text ?? '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  if (action?.author !== undefined && words(action.author) === words(action.name)) {
    problems.push(
      `author "${action.author}" repeats the action's name "${action.name}": name who publishes it.`,
    );
  }
  return problems;
}
