/** The frame of every page: header with the areas the person may use, the language switch and the demo switcher. */
import { Alert, Anchor, AppShell, Burger, Button, Container, Group, Menu, NativeSelect, Stack, Text, UnstyledButton } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, type Language } from '../i18n';
import { hasRole, homeOf, isDesk, unlockDemoFromAddress, useDemoAccounts, useDemoSignIn, useMe, useSignOut } from '../session';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      aria-label={t('app.language')}
      size="xs"
      value={i18n.language}
      onChange={(event) => setLanguage(event.currentTarget.value as Language)}
      data={LANGUAGES.map((language) => ({ value: language.code, label: language.label }))}
      w={104}
    />
  );
}

export function DemoSwitcher({ variant = 'menu' }: { variant?: 'menu' | 'list' }) {
  const { t } = useTranslation();
  const accounts = useDemoAccounts();
  const signIn = useDemoSignIn();
  const navigate = useNavigate();
  const me = useMe();
  if (!accounts.data?.length) return null;
  const choose = (id: string) =>
    signIn.mutate(id, {
      onSuccess: (session) => void navigate({ to: session.user.organisation.kind === 'platform' ? '/desk' : '/agency' }),
    });
  const label = (account: (typeof accounts.data)[number]) =>
    `${t(`roles.${account.role}`, { defaultValue: account.role })} — ${account.displayName}`;
  if (variant === 'list') {
    return (
      <Stack gap="xs">
        {accounts.data.map((account) => (
          <Button
            key={account.id}
            variant="light"
            justify="space-between"
            onClick={() => choose(account.id)}
            loading={signIn.isPending && signIn.variables === account.id}
          >
            {t('demo.signInAs', { role: label(account) })}
          </Button>
        ))}
      </Stack>
    );
  }
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button size="xs" variant="light" color="grape" aria-label={t('demo.switchTo')} px={8}>
          <Text span size="xs" fw={600} visibleFrom="sm">
            {t('demo.switchTo')}
          </Text>
          <Text span size="xs" fw={600} hiddenFrom="sm">
            {t('demo.short')}
          </Text>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('demo.title')}</Menu.Label>
        {accounts.data.map((account) => (
          <Menu.Item key={account.id} onClick={() => choose(account.id)} disabled={me.data?.id === account.id}>
            <Text size="sm">{label(account)}</Text>
            <Text size="xs" c="dimmed">
              {account.organisation}
            </Text>
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

function Navigation({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const links: Array<{ to: string; label: string }> = !me
    ? []
    : isDesk(me)
      ? [
          { to: '/desk', label: t('nav.queue') },
          { to: '/desk/drafts', label: t('nav.drafts') },
          { to: '/desk/agencies', label: t('nav.agencies') },
          ...(hasRole(me, 'admin') ? [{ to: '/desk/people', label: t('nav.people') }] : []),
          { to: '/desk/settings', label: t('nav.settings') },
        ]
      : [
          { to: '/agency', label: t('nav.myRequests') },
          ...(hasRole(me, 'officer') ? [{ to: '/agency/requests/new', label: t('nav.newRequest') }] : []),
          ...(hasRole(me, 'agency_admin') ? [{ to: '/agency/people', label: t('nav.people') }] : []),
        ];
  return (
    <>
      {links.map((link) => (
        <Anchor
          key={link.to}
          component={Link}
          to={link.to}
          onClick={onNavigate}
          activeOptions={{ exact: link.to === '/desk' || link.to === '/agency' }}
          activeProps={{ 'aria-current': 'page', style: { fontWeight: 700, textDecoration: 'underline' } }}
          c="writ.8"
          size="sm"
        >
          {link.label}
        </Anchor>
      ))}
    </>
  );
}

export function Layout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const me = useMe();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const isPublic = pathname.startsWith('/transparency') || pathname.startsWith('/notice');
  const client = useQueryClient();
  const [unlock, setUnlock] = useState<'unlocked' | 'failed' | 'none'>('none');
  useEffect(() => {
    void unlockDemoFromAddress().then((outcome) => {
      setUnlock(outcome);
      if (outcome === 'unlocked') void client.invalidateQueries({ queryKey: ['demo-accounts'] });
    });
  }, [client]);
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'md', collapsed: { desktop: true, mobile: !opened } }} padding="md">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap" style={{ flexShrink: 0 }}>
            {me.data && !isPublic && <Burger opened={opened} onClick={toggle} hiddenFrom="md" size="sm" aria-label={t('app.menu')} />}
            <UnstyledButton component={Link} to={homeOf(me.data)} aria-label={t('app.name')}>
              <Text fw={800} c="writ.7" size="lg" style={{ whiteSpace: 'nowrap' }}>
                Writ
              </Text>
            </UnstyledButton>
            {!isPublic && (
              <Group gap="md" visibleFrom="md" component="nav" aria-label={t('app.menu')}>
                <Navigation />
              </Group>
            )}
          </Group>
          <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            <DemoSwitcher />
            <LanguageSwitch />
            {me.data && (
              <Menu position="bottom-end">
                <Menu.Target>
                  <Button size="xs" variant="subtle" title={t('app.signedInAs', { name: me.data.displayName })}>
                    <Text size="xs" truncate maw={140} visibleFrom="sm">
                      {me.data.displayName}
                    </Text>
                    <Text size="xs" hiddenFrom="sm" aria-label={t('app.signedInAs', { name: me.data.displayName })}>
                      ⋯
                    </Text>
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>
                    {me.data.email}
                    <br />
                    {me.data.organisation.name}
                  </Menu.Label>
                  <Menu.Item component={Link} to="/account">
                    {t('account.menu')}
                  </Menu.Item>
                  <Menu.Item onClick={() => signOut.mutate(undefined, { onSettled: () => void navigate({ to: '/login' }) })}>
                    {t('app.signOut')}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            )}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="md" component="nav" aria-label={t('app.menu')}>
        <Stack gap="sm">
          <Navigation onNavigate={close} />
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Container size="xl" px={0}>
          {unlock === 'failed' && (
            <Alert color="orange" mb="md" withCloseButton onClose={() => setUnlock('none')} role="alert">
              {t('demo.unlockFailed')}
            </Alert>
          )}
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
