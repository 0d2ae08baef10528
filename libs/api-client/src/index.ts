import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

/**
 * The typed client of the Jicai API (issue 10), for the web console and scripts: paths,
 * bodies and answers come from the OpenAPI document (`npm run client` regenerates
 * openapi.json and schema.d.ts; a test fails when they drift from the api).
 *
 *   const api = createApiClient({ baseUrl: 'http://localhost:3000', token: () => session.token });
 *   const { data, error } = await api.POST('/api/v1/batches/{id}/bids', { params: { path: { id } }, body });
 */
export type { components, operations, paths };
export type Schemas = components['schemas'];
export type ApiClient = Client<paths>;
export type ApiError = Schemas['ErrorResponseDto'];

export interface ApiClientOptions {
  /** Origin of the api (paths carry /api/v1), e.g. http://localhost:3000 or '' in the browser. */
  baseUrl: string;
  /** The bearer token of POST /api/v1/auth/login, or a function giving the current one. */
  token?: string | (() => string | undefined);
  fetch?: typeof fetch;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const auth: Middleware = {
    onRequest({ request }) {
      const token = typeof options.token === 'function' ? options.token() : options.token;
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  };
  client.use(auth);
  return client;
}
