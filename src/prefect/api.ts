// The Prefect API URL, parsed once: where events go, whether it is a Cloud workspace, and where the UI
// shows an event. Errors say what is wrong with the URL; the caller says which setting it came from.

export interface PrefectApi {
  /** The API base URL, without a trailing slash. */
  base: string;
  /** `{base}/events`. */
  events: URL;
  /** Set when the URL names a Prefect Cloud workspace. */
  cloud?: { accountId: string; workspaceId: string };
}

/** What is wrong with an API URL, as a clause ("must use https or http, not ftp."), without its name. */
export class ApiUrlError extends Error {
  override name = 'ApiUrlError';
}

const CLOUD_PATH = /^\/api\/accounts\/([^/]+)\/workspaces\/([^/]+)$/;
// A workspace's page in Prefect Cloud's UI (app.prefect.cloud/account/{a}/workspace/{w}/...), where users
// find the two ids: its API is api.prefect.cloud/api/accounts/{a}/workspaces/{w}.
const CLOUD_UI_PATH = /^\/account\/([^/]+)\/workspace\/([^/]+)(?:\/|$)/;

const CONTROL_CHARACTER = /\p{Cc}/u;
const CONTROL_NAMES: Readonly<Record<string, string>> = {
  '\n': 'a line break (\\n)',
  '\r': 'a carriage return (\\r)',
  '\t': 'a tab (\\t)',
};

/**
 * The control character a URL's text holds, named ("a line break (\\n)"), or undefined. URL parsing drops
 * tabs and line breaks without a word, so a URL is checked as text first: the text would otherwise pass and
 * still carry a workflow command or a Markdown heading on a line of its own to wherever it is shown.
 */
export function controlCharacterIn(text: string): string | undefined {
  const found = CONTROL_CHARACTER.exec(text)?.[0];
  if (found === undefined) return undefined;
  return (
    CONTROL_NAMES[found] ?? `a control character (\\u${found.charCodeAt(0).toString(16).padStart(4, '0')})`
  );
}

/** `authString` names the setting credentials belong in, for the error about credentials in the URL. */
export function parseApiUrl(
  text: string,
  names: { authString: string } = { authString: 'the auth string' },
): PrefectApi {
  const control = controlCharacterIn(text);
  if (control) {
    throw new ApiUrlError(
      `must not hold ${control}: give one http(s) URL such as https://api.prefect.cloud/api/accounts/…/workspaces/….`,
    );
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ApiUrlError(
      'must be an http(s) URL such as https://api.prefect.cloud/api/accounts/…/workspaces/….',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ApiUrlError(`must use https or http, not ${url.protocol.replace(':', '')}.`);
  }
  if (url.username || url.password) {
    // Credentials in a URL end up in logs and error messages; they belong with the other credentials.
    throw new ApiUrlError(`must not hold credentials: put "user:password" in ${names.authString} instead.`);
  }
  const ui = CLOUD_UI_PATH.exec(url.pathname);
  if (ui && url.hostname.startsWith('app.')) {
    const api = `${url.protocol}//api.${url.host.slice('app.'.length)}/api/accounts/${ui[1]}/workspaces/${ui[2]}`;
    throw new ApiUrlError(`is the address of a workspace in Prefect Cloud's UI, not its API: use ${api}.`);
  }
  // The text, not url.search/url.hash: a bare "?" or "#" leaves both empty but would end up in the path.
  if (/[?#]/.test(text)) {
    throw new ApiUrlError('must not have a query or fragment: give the API base URL only.');
  }
  const base = url.href.replace(/\/+$/, '');
  const cloud = CLOUD_PATH.exec(new URL(base).pathname);
  return {
    base,
    events: new URL(`${base}/events`),
    ...(cloud?.[1] && cloud[2] && { cloud: { accountId: cloud[1], workspaceId: cloud[2] } }),
  };
}

/**
 * The Prefect UI's base: `uiUrl` (PREFECT_UI_URL) when given; otherwise Cloud's app for a workspace API URL,
 * or a self-hosted server's URL without `/api`. Undefined when neither shape fits.
 */
function uiBase(api: PrefectApi, uiUrl?: string): string | undefined {
  const url = new URL(api.base);
  if (uiUrl?.trim()) return uiUrl.trim().replace(/\/+$/, '');
  if (api.cloud && url.hostname.startsWith('api.')) {
    const { accountId, workspaceId } = api.cloud;
    return `${url.protocol}//app.${url.host.slice('api.'.length)}/account/${accountId}/workspace/${workspaceId}`;
  }
  if (url.pathname.endsWith('/api')) return `${url.origin}${url.pathname.slice(0, -'/api'.length)}`;
  return undefined;
}

/** The event's page in the Prefect UI, under uiBase. */
export function eventUiUrl(
  api: PrefectApi,
  event: { id: string; occurred: string },
  uiUrl?: string,
): string | undefined {
  const ui = uiBase(api, uiUrl);
  return ui && `${ui}/events/event/${event.occurred.slice(0, 10)}/${event.id}`;
}

/** Pages of the Prefect UI (Prefect's src/prefect/utilities/urls.py), under uiBase; undefined without one. */
export interface UiLinks {
  flowRun(id: string): string | undefined;
  automation(id: string): string | undefined;
}

export function uiLinks(api: PrefectApi, uiUrl?: string): UiLinks {
  const ui = uiBase(api, uiUrl);
  return {
    flowRun: (id) => ui && `${ui}/runs/flow-run/${id}`,
    automation: (id) => ui && `${ui}/automations/automation/${id}`,
  };
}
