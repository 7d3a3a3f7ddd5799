// ${{ github.<path> }} and ${{ env.<NAME> }} in the values of a parsed payload or events file (DESIGN §1.5).
// Substitution runs on parsed values, never on the text, so whatever a value holds (quotes, newlines,
// `</td>`, another `${{`) cannot break the document; substituted text is never scanned again.
//
// A string that is exactly one placeholder takes the value's own JSON type; inside a longer string the
// value is inserted as text (null as '', objects and lists as compact JSON). `|| 'text'` gives a default
// when the value is missing or falsy, as in GitHub's expressions; `${{ 'text' }}` is the literal text
// (how `${{` itself is written). Anything else in `${{ }}` is refused, and so is every credential.

/** The values placeholders may reach. */
export interface TemplateContext {
  /** The workflow `github` context by its names (sha, ref, run_id, event_name, event: the payload ...). */
  github: Record<string, unknown>;
  env: Record<string, string | undefined>;
  /** Names of variables that hold credentials (PREFECT_API_KEY ...), in upper case: refused in any case. */
  forbidden: ReadonlySet<string>;
  /** The credentials themselves: a placeholder whose value holds one is refused. */
  secrets?: readonly string[];
}

export class TemplateError extends Error {
  override name = 'TemplateError';
  /** The placeholder as written: "${{ env.TITLE }}". */
  readonly placeholder: string;
  /** Where it is in the value: "title", "[3].payload.commits[0]", "" for the value itself. */
  readonly path: string;
  /** `message` is a clause for the caller to follow the file's name: "cannot fill ${{ env.X }} at ...". */
  constructor(placeholder: string, path: string, why: string, inKey = false) {
    const where = `${inKey ? 'the key at ' : ''}${path === '' ? 'the top level' : path}`;
    super(`cannot fill ${placeholder} at ${where}: ${why}`);
    this.placeholder = placeholder;
    this.path = path;
  }
}

/** `github.*` names that are credentials, never given to a file (the runner's GITHUB_TOKEN). */
const CREDENTIAL_GITHUB_NAMES = new Set(['token']);
const NEVER = 'it is a credential of the action, and credentials are never put into a file';

type Segment = string | number;

/** What is inside `${{ }}` once read: a reference and its default, or a literal. */
type Expression =
  | { kind: 'reference'; context: 'github' | 'env'; path: Segment[]; fallback: string | undefined }
  | { kind: 'literal'; text: string };

const OPEN = '${{';
const CLOSE = '}}';

/** Returns the value with every placeholder filled. Throws TemplateError for the first that cannot be. */
export function fillTemplate(value: unknown, context: TemplateContext, path = ''): unknown {
  if (typeof value === 'string') return fillString(value, context, path, false);
  if (Array.isArray(value))
    return value.map((item, index) => fillTemplate(item, context, `${path}[${index}]`));
  if (value === null || typeof value !== 'object') return value;
  const entries: [string, unknown][] = [];
  const keys = new Map<string, string>(); // filled key -> the key as written
  for (const [rawKey, item] of Object.entries(value)) {
    const keyPath = joinPath(path, rawKey);
    const filled = fillString(rawKey, context, keyPath, true);
    const key = typeof filled === 'string' ? filled : asText(filled);
    const earlier = keys.get(key);
    if (earlier !== undefined) {
      // Name the templated one of the two: it is the one that surprised.
      const culprit = rawKey.includes(OPEN) ? rawKey : earlier;
      const why = `the key becomes ${JSON.stringify(key)}, which the map already has`;
      throw new TemplateError(culprit, joinPath(path, culprit), why, true);
    }
    keys.set(key, rawKey);
    entries.push([key, fillTemplate(item, context, keyPath)]);
  }
  return Object.fromEntries(entries); // defines "__proto__" as an own key, as JSON.parse does
}

/** The path to a key in the notation people write: `a.b`, `["a b"]`, `[3]`. */
function joinPath(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function fillString(text: string, context: TemplateContext, path: string, inKey: boolean): unknown {
  let start = text.indexOf(OPEN);
  if (start < 0) return text;
  const parts: string[] = [];
  let done = 0;
  while (start >= 0) {
    const end = closingOf(text, start);
    if (end < 0) {
      const written = text.slice(start, start + 40) + (text.length > start + 40 ? '...' : '');
      throw new TemplateError(written, path, `the ${OPEN} has no closing ${CLOSE}`, inKey);
    }
    const placeholder = text.slice(start, end + CLOSE.length);
    const value = evaluate(placeholder, text.slice(start + OPEN.length, end), context, path, inKey);
    // Exactly one placeholder: the value keeps its JSON type.
    if (start === 0 && end + CLOSE.length === text.length && !inKey) return structuredClone(value);
    parts.push(text.slice(done, start), asText(value));
    done = end + CLOSE.length;
    start = text.indexOf(OPEN, done);
  }
  parts.push(text.slice(done));
  return parts.join('');
}

/** Where the `}}` closing the `${{` at `start` is, skipping quoted literals; -1 when there is none. */
function closingOf(text: string, start: number): number {
  let quoted = false;
  for (let index = start + OPEN.length; index < text.length; index++) {
    if (text[index] === "'")
      quoted = !quoted; // '' inside a literal toggles twice
    else if (!quoted && text.startsWith(CLOSE, index)) return index;
  }
  return -1;
}

/** A value as text: what GitHub inserts for scalars, compact JSON for objects and lists. */
function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function evaluate(
  placeholder: string,
  inside: string,
  context: TemplateContext,
  path: string,
  inKey: boolean,
): unknown {
  const fail = (why: string): never => {
    throw new TemplateError(placeholder, path, why, inKey);
  };
  const expression = parseExpression(inside.trim());
  const secret = /^secrets\.([A-Za-z_]\w*)$/.exec(inside.trim())?.[1];
  if (expression === undefined && secret !== undefined) {
    if (context.forbidden.has(secret.toUpperCase())) fail(`secrets.${secret} is a credential; ${NEVER}`);
    // The workflow's secrets context never reaches an action; the step's env: does.
    return fail(
      `secrets are not available in a file: pass the secret through the step's env: (env: ${secret}: ` +
        `\${{ secrets.${secret} }}) and write \${{ env.${secret} }}; credentials the action itself holds ` +
        '(api-key, auth-string) are refused even then',
    );
  }
  if (expression === undefined) {
    return fail(
      "only ${{ github.<path> }} and ${{ env.<NAME> }} are supported, with an optional default as || 'text'",
    );
  }
  if (expression.kind === 'literal') return expression.text;

  const [first] = expression.path;
  const name = String(first);
  // Windows' environment ignores case: ${{ env.actions_runtime_token }} is the token too.
  if (expression.context === 'env' && context.forbidden.has(name.toUpperCase()))
    fail(`${name} holds a credential; ${NEVER}`);
  if (expression.context === 'github' && CREDENTIAL_GITHUB_NAMES.has(name))
    fail(`github.${name} is a credential; ${NEVER}`);

  const root = expression.context === 'env' ? context.env : context.github;
  const found = lookUp(root, expression.path);
  if (expression.fallback !== undefined && isFalsy(found)) return expression.fallback;
  if (found === undefined) {
    const example = `\${{ ${inside.trim()} || 'default' }}`;
    if (expression.context === 'env')
      return fail(`the variable ${name} is not set: set it, or give a default as ${example}`);
    const event =
      typeof context.github.event_name === 'string' ? ` (event ${context.github.event_name})` : '';
    return fail(
      `github.${describePath(expression.path)} has no value in this run${event}: give a default as ${example}`,
    );
  }
  const secrets = (context.secrets ?? []).filter((secret) => secret !== '');
  const text = asText(found);
  if (secrets.some((secret) => text.includes(secret))) fail(`its value holds a credential; ${NEVER}`);
  return found;
}

function isFalsy(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === false ||
    value === '' ||
    value === 0 ||
    Number.isNaN(value)
  );
}

/** Walks own properties only: `github.event.constructor` is missing, not Object's constructor. */
function lookUp(root: unknown, path: Segment[]): unknown {
  let current = root;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (
      current !== null &&
      typeof current === 'object' &&
      !Array.isArray(current) &&
      Object.hasOwn(current, segment)
    ) {
      current = (current as Record<string, unknown>)[segment];
    } else return undefined;
  }
  return current;
}

function describePath(path: Segment[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('');
}

const REFERENCE = /^(github|env)((?:\.[A-Za-z_][\w-]*)(?:\.[A-Za-z_][\w-]*|\[\d+\])*)\s*/;
const SEGMENT = /\.([A-Za-z_][\w-]*)|\[(\d+)\]/g;
const LITERAL = /^'((?:[^']|'')*)'$/;

/** github.<name>(.<name>|[n])*, env.<NAME>, each with an optional || 'default'; or a 'literal'. */
function parseExpression(source: string): Expression | undefined {
  const literal = LITERAL.exec(source);
  if (literal) return { kind: 'literal', text: unquote(literal[1] ?? '') };
  const reference = REFERENCE.exec(source);
  if (!reference) return undefined;
  const context = reference[1] === 'env' ? 'env' : 'github';
  const path = [...(reference[2] ?? '').matchAll(SEGMENT)].map(([, name, index]) => name ?? Number(index));
  if (context === 'env' && path.length !== 1) return undefined;
  const rest = source.slice(reference[0].length);
  if (rest === '') return { kind: 'reference', context, path, fallback: undefined };
  const fallback = /^\|\|\s*('(?:[^']|'')*')$/.exec(rest)?.[1];
  if (fallback === undefined) return undefined;
  return { kind: 'reference', context, path, fallback: unquote(fallback.slice(1, -1)) };
}

function unquote(text: string): string {
  return text.replaceAll("''", "'");
}

/** The runner's GITHUB_* variables by the names of the workflow `github` context, and the payload. */
const GITHUB_CONTEXT_NAMES = [
  'action',
  'action_path',
  'action_ref',
  'action_repository',
  'actor',
  'actor_id',
  'api_url',
  'base_ref',
  'event_name',
  'event_path',
  'graphql_url',
  'head_ref',
  'job',
  'ref',
  'ref_name',
  'ref_type',
  'repository',
  'repository_id',
  'repository_owner',
  'repository_owner_id',
  'retention_days',
  'run_attempt',
  'run_id',
  'run_number',
  'server_url',
  'sha',
  'triggering_actor',
  'workflow',
  'workflow_ref',
  'workflow_sha',
  'workspace',
] as const;

/**
 * The `github` context a file's placeholders see, from the runner's variables and the trigger's payload
 * (GITHUB_EVENT_PATH's content). Values are strings as the runner gives them, except `ref_protected`
 * (a boolean, as in GitHub's context) and `event`. A variable that is unset or empty is left out, so a
 * placeholder for it is reported as missing.
 */
export function githubTemplateContext(
  env: Record<string, string | undefined>,
  payload: Record<string, unknown>,
): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const name of GITHUB_CONTEXT_NAMES) {
    const value = env[`GITHUB_${name.toUpperCase()}`];
    if (value !== undefined && value !== '') context[name] = value;
  }
  const isProtected = env.GITHUB_REF_PROTECTED;
  if (isProtected === 'true' || isProtected === 'false') context.ref_protected = isProtected === 'true';
  context.event = payload;
  return context;
}
