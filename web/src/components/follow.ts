/**
 * Keeps a request page current without reading the request again and again: the page polls its status (state and
 * version) and re-reads the request in full only when it changed. Both are audited reads; a poll that repeats within a
 * minute with nothing happening in between is covered by the first one (src/core/read-trail.ts), so polling leaves
 * about one event a minute, not one per poll.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, unwrap } from '../api/client';

export function useFollowRequest(reference: string, version: number | undefined, intervalMs: number | false) {
  const client = useQueryClient();
  const status = useQuery({
    queryKey: ['status', reference],
    queryFn: () => unwrap(api.GET('/api/v1/requests/{reference}/status', { params: { path: { reference } } })),
    enabled: version !== undefined && intervalMs !== false,
    refetchInterval: intervalMs,
  });
  const seen = status.data?.version;
  useEffect(() => {
    if (seen !== undefined && version !== undefined && seen !== version)
      void client.invalidateQueries({ queryKey: ['request', reference] });
  }, [seen, version, reference, client]);
}
