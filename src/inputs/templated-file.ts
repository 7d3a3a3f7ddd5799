// Payload and events files: read from the workspace, parsed (JSON, else YAML), then filled from the
// workflow (${{ github.* }}, ${{ env.* }}) on the parsed values, so that no text can break the document.
import { fillTemplate, githubTemplateContext, TemplateError } from '../template.ts';
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

/** Fills the placeholders of a parsed value from the file context; throws TemplateError. */
export function templateFiller(context: FileContext): (value: unknown) => unknown {
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
  return (value) => fillTemplate(value, template);
}

/** Reads, parses and fills a file; errors name the input and the file (and the placeholder, or the line). */
export function readTemplatedFile(
  input: string,
  path: string,
  context: FileContext,
  maxBytes: number,
): unknown {
  const text = readWorkspaceFile(input, path, context.workspace, maxBytes);
  try {
    return templateFiller(context)(parseStructured(input, text));
  } catch (error) {
    // Both name the file, as the errors of events-file do.
    if (error instanceof TemplateError) throw new InputError(input, `(${path}) ${error.message}.`);
    if (error instanceof InputError) throw new InputError(input, `(${path}) ${error.problem}`);
    throw error;
  }
}
