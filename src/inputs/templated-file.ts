// Payload and events files: read from the workspace, parsed (JSON, else YAML), then filled from the
// workflow (${{ github.* }}, ${{ env.* }}) on the parsed values, so that no text can break the document.
import { fillTemplate, githubTemplateContext, TemplateError, type FillBound } from '../template.ts';
import { locating } from './event-item.ts';
import { readWorkspaceFile } from './files.ts';
import { InputError } from './source.ts';
import { parseStructured } from './values.ts';

/** What a file's placeholders may reach, and what they may never. */
export interface FileContext {
  workspace: string;
  env: NodeJS.ProcessEnv;
  /** The trigger's webhook payload: `github.event`. */
  eventPayload: Record<string, unknown>;
  /** Every credential the action holds (inputs, variables, proxies, headers): never put into a file. */
  secrets: readonly string[];
}

// Variables holding credentials the action, or the runner for it, holds: refused whatever their value.
const CREDENTIAL_VARIABLES = new Set([
  'PREFECT_API_KEY',
  'PREFECT_API_AUTH_STRING',
  'PREFECT_CLIENT_CUSTOM_HEADERS',
  'GITHUB_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
]);

/** The advice of a refusal for filling past a bound, followed by where: "into it", "into each item". */
export const LESS_OF_THE_WORKFLOW = 'put less of the workflow (a field of github.event, not all of it)';

/** Fills the placeholders of a parsed value from the file context, within the bound; throws TemplateError. */
export function templateFiller(context: FileContext): (value: unknown, bound: FillBound) => unknown {
  // The runner's own tokens too, so that no other variable holding one can carry it into a file.
  const runnerTokens = [...CREDENTIAL_VARIABLES]
    .map((name) => (context.env[name] ?? '').trim())
    .filter(Boolean);
  const template = {
    github: githubTemplateContext(context.env, context.eventPayload),
    env: context.env,
    forbidden: CREDENTIAL_VARIABLES,
    secrets: [...context.secrets, ...runnerTokens],
  };
  return (value, bound) => fillTemplate(value, template, bound);
}

/**
 * Reads, parses and fills a file of at most `maxBytes` (the most an event may be), into which placeholders
 * may put at most as much; errors name the input and the file (and the placeholder, or the line).
 */
export function readTemplatedFile(
  input: string,
  path: string,
  context: FileContext,
  maxBytes: number,
): unknown {
  const text = readWorkspaceFile(input, path, context.workspace, maxBytes);
  const value = locating(input, path, (name) => parseStructured(name, text));
  try {
    return templateFiller(context)(value, {
      left: maxBytes,
      exceeded:
        `the file's placeholders would put more than ${maxBytes} bytes into it, the most an event may hold: ` +
        `${LESS_OF_THE_WORKFLOW} into it`,
    });
  } catch (error) {
    // Named with the file, as the errors of events-file are.
    if (error instanceof TemplateError) throw new InputError(input, `(${path}) ${error.message}.`);
    throw error;
  }
}
