/** Who is signed in, the demo account switcher, and signing in and out. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, getMe, unwrap, type Me } from './api/client';

export const meQuery = {
  queryKey: ['me'],
  queryFn: async (): Promise<Me | null> => {
    try {
      return await getMe();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  staleTime: 60_000,
} as const;

export const useMe = () => useQuery(meQuery);

export const isDesk = (me: Pick<Me, 'organisation'> | null | undefined): boolean => me?.organisation.kind === 'platform';
export const hasRole = (me: Pick<Me, 'roles'> | null | undefined, ...roles: string[]): boolean =>
  !!me && me.roles.some((role) => roles.includes(role));
/** Where a person starts: officers at their requests, the desk at its queue. */
export const homeOf = (me: Me | null | undefined): string => (!me ? '/login' : isDesk(me) ? '/desk' : '/agency');

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/logout')),
    onSettled: () => {
      client.clear();
    },
  });
}

export type DemoAccount = Awaited<ReturnType<typeof listDemoAccounts>>[number];
async function listDemoAccounts() {
  await unlockDemoFromAddress();
  try {
    return (await unwrap(api.GET('/api/v1/demo/accounts'))).items;
  } catch (error) {
    // Not a demo installation, or this browser has not opened the printed link: no switcher.
    if (error instanceof ApiError && error.status === 404) return [];
    throw error;
  }
}
export const useDemoAccounts = () => useQuery({ queryKey: ['demo-accounts'], queryFn: listDemoAccounts, staleTime: Infinity });

export function useDemoSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => unwrap(api.POST('/api/v1/demo/sign-in', { body: { userId } })),
    onSuccess: async (session) => {
      // Nothing read as the previous account may show for the next one.
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'demo-accounts' });
      client.setQueryData(['me'], session.user);
    },
  });
}

/**
 * The link `writ serve` prints on a demo installation ends in `#demo=<key>`. The key is read as the app loads (before
 * the router moves anywhere) and taken out of the address bar and history; it goes to the server once, which keeps
 * it in an HttpOnly cookie for the switcher.
 */
const demoKeyAtLoad = /(?:^#|&)demo=([A-Za-z0-9_-]{10,200})/.exec(window.location.hash)?.[1];
if (demoKeyAtLoad) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
let demoUnlock: Promise<'unlocked' | 'failed' | 'none'> | undefined;

export function unlockDemoFromAddress(): Promise<'unlocked' | 'failed' | 'none'> {
  demoUnlock ??= demoKeyAtLoad
    ? unwrap(api.POST('/api/v1/demo/unlock', { body: { key: demoKeyAtLoad } })).then(
        () => 'unlocked' as const,
        () => 'failed' as const,
      )
    : Promise.resolve('none' as const);
  return demoUnlock;
}
