/** The app's addresses. Pages that most people never open (the request form, the desk's request page) load on demand. */
import { Anchor, Stack, Text, Title } from '@mantine/core';
import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, Link, lazyRouteComponent, Navigate } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Layout } from './components/layout';
import { Loading } from './components/states';
import { LoginPage } from './pages/login';
import { MyRequestsPage } from './pages/agency/my-requests';
import { OfficerRequestPage } from './pages/agency/officer-request';
import { QueuePage } from './pages/desk/queue';
import { AgenciesPage } from './pages/desk/agencies';
import { PeoplePage } from './pages/desk/people';
import { SettingsPage } from './pages/desk/settings';
import { NoticePage, TransparencyPage } from './pages/public/public';
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
  page('/agency/people', () => (
    <RequireSignIn side="agency">
      <PeoplePage />
    </RequireSignIn>
  )),
  page('/desk', () => (
    <RequireSignIn side="desk">
      <QueuePage />
    </RequireSignIn>
  )),
  createRoute({
    getParentRoute: () => rootRoute,
    path: '/desk/requests/$tracking',
    component: lazyRouteComponent(() => import('./pages/desk/desk-request'), 'DeskRequestPage'),
  }),
  page('/desk/agencies', () => (
    <RequireSignIn side="desk">
      <AgenciesPage />
    </RequireSignIn>
  )),
  page('/desk/people', () => (
    <RequireSignIn side="desk">
      <PeoplePage />
    </RequireSignIn>
  )),
  page('/desk/settings', () => (
    <RequireSignIn side="desk">
      <SettingsPage />
    </RequireSignIn>
  )),
  page('/transparency', TransparencyPage),
  page('/notice/$token', NoticePage),
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
