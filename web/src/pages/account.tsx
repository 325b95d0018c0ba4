/**
 * A person's own account: their API tokens (what each may do, when it was last used, when it ends), ending any of
 * them, making one, changing the password, and signing out everywhere.
 */
import { Alert, Badge, Button, Card, Code, Group, NumberInput, PasswordInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { ErrorState, Loading } from '../components/states';
import { useFormat } from '../format';
import { hasRole, useMe } from '../session';

const tokensQuery = { queryKey: ['tokens'], queryFn: () => unwrap(api.GET('/api/v1/tokens')) };

function Tokens() {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const tokens = useQuery(tokensQuery);
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } })),
    onSettled: () => void client.invalidateQueries({ queryKey: ['tokens'] }),
  });
  if (tokens.isPending) return <Loading />;
  if (tokens.isError) return <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />;
  if (tokens.data.items.length === 0) return <Text c="dimmed">{t('account.tokensEmpty')}</Text>;
  return (
    <Stack>
      {revoke.isError && <ErrorState error={revoke.error} />}
      <Table.ScrollContainer minWidth={640}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('account.tokenName')}</Table.Th>
              <Table.Th>{t('account.tokenScope')}</Table.Th>
              <Table.Th>{t('account.tokenCreated')}</Table.Th>
              <Table.Th>{t('account.tokenLastUsed')}</Table.Th>
              <Table.Th>{t('account.tokenExpires')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.data.items.map((token) => (
              <Table.Tr key={token.id}>
                <Table.Td>
                  {token.name} {token.parentTokenId && <Badge variant="light">{t('account.tokenMinted')}</Badge>}
                </Table.Td>
                <Table.Td>
                  {token.scope ? token.scope.map((role) => t(`roles.${role}`, { defaultValue: role })).join(', ') : t('account.allRoles')}
                </Table.Td>
                <Table.Td>{format.dateTime(token.createdAt)}</Table.Td>
                <Table.Td>{token.lastUsedAt ? format.dateTime(token.lastUsedAt) : t('account.never')}</Table.Td>
                <Table.Td>{format.dateTime(token.expiresAt)}</Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    color="red"
                    variant="light"
                    loading={revoke.isPending && revoke.variables === token.id}
                    onClick={() => {
                      if (window.confirm(t('account.revokeConfirm', { name: token.name }))) revoke.mutate(token.id);
                    }}
                  >
                    {t('account.revoke')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function NewToken() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [days, setDays] = useState<number | string>(30);
  const mint = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/tokens', { body: { name: name.trim(), expiresInDays: Number(days) } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['tokens'] }),
  });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        mint.mutate();
      }}
    >
      <Stack>
        <Group align="flex-end">
          <TextInput label={t('account.tokenName')} value={name} onChange={(event) => setName(event.currentTarget.value)} maxLength={100} />
          <NumberInput label={t('account.tokenDays')} value={days} onChange={setDays} min={1} max={365} w={140} />
          <Button type="submit" disabled={!name.trim()} loading={mint.isPending}>
            {t('account.mint')}
          </Button>
        </Group>
        {mint.isError && <ErrorState error={mint.error} />}
        {mint.data && (
          <Alert color="yellow" role="status" title={t('account.mintedTitle')}>
            <Text size="sm">{t('account.mintedOnce')}</Text>
            <Code block className="mono">
              {mint.data.token}
            </Code>
          </Alert>
        )}
      </Stack>
    </form>
  );
}

function ChangePassword() {
  const { t } = useTranslation();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const change = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/password', { body: { currentPassword, newPassword } })),
    onSuccess: () => {
      setCurrent('');
      setNew('');
    },
  });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        change.mutate();
      }}
    >
      <Stack maw={420}>
        <PasswordInput
          label={t('account.currentPassword')}
          autoComplete="current-password"
          value={currentPassword}
          onChange={(event) => setCurrent(event.currentTarget.value)}
        />
        <PasswordInput
          label={t('account.newPassword')}
          description={t('account.newPasswordHelp')}
          autoComplete="new-password"
          value={newPassword}
          onChange={(event) => setNew(event.currentTarget.value)}
        />
        {change.isError && <ErrorState error={change.error} />}
        {change.data && (
          <Alert color="green" role="status">
            {t('account.passwordChanged', { sessions: change.data.sessionsEnded, tokens: change.data.tokensEnded })}
          </Alert>
        )}
        <Button type="submit" disabled={!currentPassword || newPassword.length < 12} loading={change.isPending} w="fit-content">
          {t('account.changePassword')}
        </Button>
      </Stack>
    </form>
  );
}

export function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const everywhere = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/sessions/revoke-all')),
    onSuccess: () => {
      client.clear();
      void navigate({ to: '/login' });
    },
  });
  if (me.isPending) return <Loading />;
  if (!me.data) {
    void navigate({ to: '/login', search: { redirect: '/account' } });
    return <Loading />;
  }
  const canMint = hasRole(me.data, 'officer') || hasRole(me.data, 'agency_admin') || hasRole(me.data, 'admin');
  return (
    <Stack py="md" gap="lg">
      <Title order={1}>{t('account.title')}</Title>
      <Card withBorder>
        <Stack>
          <Title order={2} size="h3">
            {t('account.tokens')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('account.tokensIntro')}
          </Text>
          <Tokens />
          {canMint && <NewToken />}
        </Stack>
      </Card>
      <Card withBorder>
        <Stack>
          <Title order={2} size="h3">
            {t('account.password')}
          </Title>
          <ChangePassword />
        </Stack>
      </Card>
      <Card withBorder>
        <Stack align="flex-start">
          <Title order={2} size="h3">
            {t('account.everywhere')}
          </Title>
          <Text size="sm">{t('account.everywhereIntro')}</Text>
          {everywhere.isError && <ErrorState error={everywhere.error} />}
          <Button
            color="red"
            loading={everywhere.isPending}
            onClick={() => {
              if (window.confirm(t('account.everywhereConfirm'))) everywhere.mutate();
            }}
          >
            {t('account.everywhereButton')}
          </Button>
        </Stack>
      </Card>
    </Stack>
  );
}
