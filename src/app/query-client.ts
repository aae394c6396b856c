import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client';

/**
 * QueryClient defaults for the whole console, in one place. A 4xx answer is final
 * (wrong input, signed out, not found) so only network and server errors are retried.
 */
export function createQueryClient({ retry = true }: { retry?: boolean } = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: retry
          ? (failureCount, error) =>
              !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 2
          : false,
      },
      mutations: { retry: false },
    },
  });
}
