/**
 * The app's addresses. Pages that most people never open (the request form, the desk's pages, the public report and
 * notice pages) load on demand.
 */
import { Anchor, Stack, Text, Title } from '@mantine/core';
import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, Link, lazyRouteComponent, Navigate } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Layout } from './components/layout';
import { Loading } from './components/states';
import { LoginPage } from './pages/login';
import { RegisterPage } from './pages/register';
import { EnrolPage } from './pages/enrol';
import { MyRequestsPage } from './pages/agency/my-requests';
import { OfficerRequestPage } from './pages/agency/officer-request';
import { homeOf, useMe } from './session';
import { RequireSignIn } from './components/require-sign-in';

function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack py="xl" align="flex-start">
      <Title order={1}>{t('app.notFound')}</Title>
      <Anchor component={Link} to="/">
        {t('app.backHome')}
      </Anchor>
    </Stack>
  );
}

function Home() {
  const me = useMe();
  if (me.isPending) return <Loading />;
  return <Navigate to={homeOf(me.data)} />;
}

const rootRoute = createRootRouteWithContext<{ queryClient: QueryClient }>()({
  component: Layout,
  notFoundComponent: NotFound,
});

const page = (path: string, component: () => ReactNode) => createRoute({ getParentRoute: () => rootRoute, path, component });

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } =>
    // Only a path on this site: never an address elsewhere.
    typeof search.redirect === 'string' && /^\/(?!\/)/.test(search.redirect) ? { redirect: search.redirect } : {},
  component: LoginPage,
});

const routeTree = rootRoute.addChildren([
  page('/', Home),
  loginRoute,
  page('/register', RegisterPage),
  page('/enrol', EnrolPage),
  page('/agency', () => (
    <RequireSignIn side="agency">
      <MyRequestsPage />
    </RequireSignIn>
  )),
  createRoute({
    getParentRoute: () => rootRoute,
    path: '/agency/requests/new',
    component: lazyRouteComponent(() => import('./pages/agency/new-request'), 'NewRequestPage'),
  }),
  page('/agency/requests/$tracking', () => (
    <RequireSignIn side="agency">
      <OfficerRequestPage />
    </RequireSignIn>
  )),
  createRoute({
    getParentRoute: () => rootRoute,
    path: '/agency/people',
    component: lazyRouteComponent(() => import('./pages/desk/people'), 'AgencyPeopleRoute'),
  }),
  createRoute({
    getParentRoute: () => rootRoute,
    path: '/desk',
    component: lazyRouteComponent(() => import('./pages/desk/queue'), 'QueuePageRoute'),
  }),
  createRoute({
    getParentRoute: () => rootRoute,
    path: '/desk/requests/$tracking',
    component: lazyRouteComponent(() => import('./pages/desk/desk-request'), 'DeskRequestPage'),
  }),
  createRoute({
    getParentRoute: () => rootRoute,
    path: '/desk/drafts',
    component: lazyRouteComponent(() => import('./pages/desk/mail-drafts'), 'MailDraftsRoute'),
  }),
  createRoute({
    getParentRoute: () => rootRoute,
    path: '/desk/intake/$reference',
    component: lazyRouteComponent(() => import('./pages/desk/intake-draft'), 'IntakeDraftPage'),
  }),
  createRoute({
    getParentRoute: () => rootRoute,
    path: '/desk/agencies',
    component: lazyRouteComponent(() => import('./pages/desk/agencies'), 'AgenciesPageRoute'),
  }),
  createRoute({
    getParentRoute: () => rootRoute,
    path: '/desk/people',
    component: lazyRouteComponent(() => import('./pages/desk/people'), 'DeskPeopleRoute'),
  }),
  createRoute({
    getParentRoute: () => rootRoute,
    path: '/desk/settings',
    component: lazyRouteComponent(() => import('./pages/desk/settings'), 'SettingsPageRoute'),
  }),
  createRoute({
    getParentRoute: () => rootRoute,
    path: '/account',
    component: lazyRouteComponent(() => import('./pages/account'), 'AccountPage'),
  }),
  createRoute({
    getParentRoute: () => rootRoute,
    path: '/transparency',
    // The period is in the address, so a report can be linked to and the back button goes to the one before; links
    // made with ?half= still open.
    validateSearch: (search: Record<string, unknown>): { period?: string } => {
      const period = typeof search.period === 'string' ? search.period : search.half;
      return typeof period === 'string' && /^\d{4}-(H[12]|0[1-9]|1[0-2])$/.test(period) ? { period } : {};
    },
    component: lazyRouteComponent(() => import('./pages/public/transparency'), 'TransparencyPage'),
  }),
  createRoute({
    getParentRoute: () => rootRoute,
    path: '/notice/$token',
    component: lazyRouteComponent(() => import('./pages/public/notice'), 'NoticePage'),
  }),
]);

export const router = createRouter({
  routeTree,
  context: { queryClient: undefined as unknown as QueryClient },
  defaultPendingComponent: () => <Loading />,
  defaultErrorComponent: ({ error }) => (
    <Text c="red" role="alert">
      {(error as Error).message}
    </Text>
  ),
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
