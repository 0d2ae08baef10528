import { useQuery } from '@tanstack/react-query';
import { api, ok, type Schemas } from '../../api/client';

/**
 * One batch (GET /batches/:id), sharing the admin page's query key so the cache is one, without
 * importing the admin batch page (and its charts) into the hospitals' and the fund's pages.
 */
export function useBatch(id: number) {
  return useQuery({
    queryKey: ['batch', id],
    queryFn: async () => (await ok(api.GET('/api/v1/batches/{id}', { params: { path: { id } } }))) as unknown as Schemas['BatchDto'],
  });
}
