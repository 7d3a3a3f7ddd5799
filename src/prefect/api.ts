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

/** `authString` names the setting credentials belong in, for the error about credentials in the URL. */
export function parseApiUrl(
  text: string,
  names: { authString: string } = { authString: 'the auth string' },
): PrefectApi {
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
export function uiBase(api: PrefectApi, uiUrl?: string): string | undefined {
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
