import { currentLang } from "./i18n.ts";

/** The error the server returns: its code, the articles it enforces, the message in our language. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly articles: string[],
    message: string,
    /** The input items a refusal names as missing (VISIT_REQUEST_INCOMPLETE, A9.2), as paths. */
    readonly missing: readonly string[] = [],
  ) {
    super(message);
  }
}

let csrfToken = "";

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

type Listener = () => void;
const sessionLostListeners = new Set<Listener>();
export function onSessionLost(listener: Listener): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

/**
 * Calls the node's API. With `signal`, the caller can give the request up (the page it was for has
 * gone): the promise then rejects, and nothing of the answer reaches the caller.
 */
export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  options: { signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { "accept-language": currentLang(), accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    cache: "no-store",
    ...(options.signal ? { signal: options.signal } : {}),
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  const payload = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (payload ?? {}) as {
      code?: string;
      articles?: string[];
      message?: string;
      missing?: string[];
    };
    if (response.status === 401 && !path.startsWith("/api/auth/login")) {
      for (const listener of sessionLostListeners) listener();
    }
    throw new ApiFailure(
      response.status,
      error.code ?? "HTTP_ERROR",
      error.articles ?? [],
      error.message ?? `HTTP ${response.status}`,
      error.missing ?? [],
    );
  }
  return payload as T;
}
