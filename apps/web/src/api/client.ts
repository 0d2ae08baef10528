import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from '../../../../libs/api-client/src/schema';

/** The API's schemas (its DTOs), as the OpenAPI document names them. */
export type Schemas = components['schemas'];

/** api.md's error body. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message || `HTTP ${status}`);
  }
}

const TOKEN_KEY = 'jicai.token';
export const tokenStore = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (t: string | null) => (t ? sessionStorage.setItem(TOKEN_KEY, t) : sessionStorage.removeItem(TOKEN_KEY)),
};

let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn;
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = tokenStore.get();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !request.url.endsWith('/auth/login')) onUnauthorized();
    return response;
  },
};

/** The typed client generated from the api's OpenAPI document (no hand-written request or response types). */
export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** Unwraps an openapi-fetch answer: the data, or an ApiError carrying the api's code and message. */
export async function ok<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await p;
  if (error !== undefined || !response.ok) {
    const body = (error ?? {}) as Partial<ApiErrorBody>;
    throw new ApiError(response.status, {
      statusCode: response.status,
      code: body.code ?? 'HTTP_ERROR',
      message: body.message ?? response.statusText,
      details: body.details,
    });
  }
  return data as T;
}

/** Downloads a spreadsheet endpoint with the token (a plain link would not carry it). */
export async function download(path: string, filename: string): Promise<void> {
  const token = tokenStore.get();
  const res = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as Partial<ApiErrorBody>;
    throw new ApiError(res.status, { statusCode: res.status, code: body.code ?? 'HTTP_ERROR', message: body.message ?? res.statusText, details: body.details });
  }
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}

/** Uploads a spreadsheet (multipart field `file`) to an import endpoint; answers the api's JSON. */
export async function upload<T = { jobId: string; rows?: number }>(path: string, file: File): Promise<T> {
  const token = tokenStore.get();
  const form = new FormData();
  form.append('file', file);
  const res = await fetch(path, { method: 'POST', body: form, headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const body = (await res.json().catch(() => ({}))) as T & Partial<ApiErrorBody>;
  if (!res.ok)
    throw new ApiError(res.status, { statusCode: res.status, code: body.code ?? 'HTTP_ERROR', message: body.message ?? res.statusText, details: body.details });
  return body;
}
