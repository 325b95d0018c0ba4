/** Sign in: email, password and the authenticator's code, or a passkey; on a demo installation, the account switcher. */
import { Alert, Anchor, Button, Card, Divider, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../api/client';
import { DemoSwitcher } from '../components/layout';
import { Loading } from '../components/states';
import { homeOf, useDemoAccounts, useMe } from '../session';

type SessionAnswer = Awaited<ReturnType<typeof passwordLogin>>;
const passwordLogin = (body: { email: string; password: string; code?: string }) => unwrap(api.POST('/api/v1/auth/login', { body }));

interface JsonCredentials {
  parseRequestOptionsFromJSON?: (options: unknown) => PublicKeyCredentialRequestOptions;
}

async function passkeyLogin(): Promise<SessionAnswer> {
  const parse = (window.PublicKeyCredential as unknown as JsonCredentials | undefined)?.parseRequestOptionsFromJSON;
  if (!parse) throw new ApiError({ status: 0, code: 'PASSKEY_UNSUPPORTED', detail: '' });
  const options = await unwrap(api.POST('/api/v1/auth/passkey/options'));
  const credential = (await navigator.credentials.get({ publicKey: parse(options) })) as
    (PublicKeyCredential & { toJSON(): object }) | null;
  if (!credential) throw new ApiError({ status: 0, code: 'PASSKEY_CANCELLED', detail: '' });
  return unwrap(api.POST('/api/v1/auth/passkey/login', { body: { response: credential.toJSON() as Record<string, unknown> } }));
}

export function LoginPage() {
  const { t } = useTranslation();
  const me = useMe();
  const demo = useDemoAccounts();
  const search = useSearch({ from: '/login' });
  const navigate = useNavigate();
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [notice, setNotice] = useState<string | null>(null);

  const afterSignIn = (session: SessionAnswer) => {
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'demo-accounts' });
    client.setQueryData(['me'], session.user);
    if (session.secondFactor === 'not_enrolled') return void navigate({ to: '/enrol' });
    if (session.user.status === 'pending') return setNotice(t('login.pending'));
    void navigate({ to: search.redirect ?? (session.user.organisation.kind === 'platform' ? '/desk' : '/agency') });
  };
  const login = useMutation({ mutationFn: passwordLogin, onSuccess: afterSignIn });
  const passkey = useMutation({ mutationFn: passkeyLogin, onSuccess: afterSignIn });

  if (me.isPending) return <Loading />;
  if (me.data && !notice) {
    void navigate({ to: homeOf(me.data), replace: true });
    return <Loading />;
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ email: email.trim(), password, ...(code ? { code } : {}) });
  };
  const failure = login.error ?? passkey.error;
  const failureText =
    failure instanceof ApiError
      ? failure.code === 'RATE_LIMITED'
        ? t('login.locked', { seconds: (failure.problem as { retryAfterSeconds?: number }).retryAfterSeconds ?? 60 })
        : failure.code === 'MFA_REQUIRED'
          ? t('login.mfaNeeded')
          : failure.code === 'PASSKEY_UNSUPPORTED'
            ? t('login.passkeyUnsupported')
            : failure.code.startsWith('PASSKEY') || failure === passkey.error
              ? t('login.passkeyFailed')
              : failure.code === 'NETWORK'
                ? t('app.errorNetwork')
                : t('login.invalid')
      : failure
        ? t('login.passkeyFailed')
        : null;

  return (
    <SimpleGrid cols={{ base: 1, md: demo.data?.length ? 2 : 1 }} spacing="xl" maw={demo.data?.length ? 960 : 440} mx="auto" py="lg">
      <Card withBorder padding="lg">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={1} size="h2">
              {t('login.title')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('login.intro')}
            </Text>
            {notice && (
              <Alert color="yellow" role="status">
                {notice}
              </Alert>
            )}
            {failureText && (
              <Alert color="red" role="alert">
                {failureText}
              </Alert>
            )}
            <TextInput
              label={t('login.email')}
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
            />
            <PasswordInput
              label={t('login.password')}
              autoComplete="current-password"
              visibilityToggleButtonProps={{ 'aria-label': t('login.showPassword') }}
              required
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
            <TextInput
              label={t('login.code')}
              description={t('login.codeHint')}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              pattern="[0-9]{6}"
              value={code}
              onChange={(event) => setCode(event.currentTarget.value.replace(/\D/g, ''))}
            />
            <Button type="submit" loading={login.isPending}>
              {t('login.submit')}
            </Button>
            <Divider label={t('login.or')} />
            <Button variant="default" onClick={() => passkey.mutate()} loading={passkey.isPending}>
              {t('login.passkey')}
            </Button>
            <Anchor component={Link} to="/register" size="sm">
              {t('register.link')}
            </Anchor>
          </Stack>
        </form>
      </Card>
      {!!demo.data?.length && (
        <Card withBorder padding="lg" bg="grape.0">
          <Stack>
            <Title order={2} size="h3">
              {t('demo.title')}
            </Title>
            <Text size="sm">{t('demo.intro')}</Text>
            <DemoSwitcher variant="list" />
          </Stack>
        </Card>
      )}
    </SimpleGrid>
  );
}
