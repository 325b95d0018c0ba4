/** An officer registers with their official address, confirms it with the mailed code, then waits for approval. */
import { Alert, Anchor, Button, Card, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { ErrorState } from '../components/states';

export function RegisterPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const register = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/auth/register', { body: { email: email.trim(), displayName: displayName.trim(), password } })),
  });
  const confirm = useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/auth/register/confirm', { body: { code: code.trim() } })) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate();
  };
  return (
    <Card withBorder padding="lg" maw={480} mx="auto" my="lg">
      <Stack>
        <Title order={1} size="h2">
          {t('register.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('register.intro')}
        </Text>
        {!register.isSuccess ? (
          <form onSubmit={submit}>
            <Stack>
              <TextInput
                label={t('register.email')}
                type="email"
                autoComplete="email"
                required
                value={email}
                onChange={(event) => setEmail(event.currentTarget.value)}
              />
              <TextInput
                label={t('register.displayName')}
                autoComplete="name"
                required
                value={displayName}
                onChange={(event) => setDisplayName(event.currentTarget.value)}
              />
              <PasswordInput
                label={t('register.password')}
                description={t('register.passwordHelp')}
                autoComplete="new-password"
                visibilityToggleButtonProps={{ 'aria-label': t('login.showPassword') }}
                required
                value={password}
                onChange={(event) => setPassword(event.currentTarget.value)}
              />
              {register.isError && <ErrorState error={register.error} />}
              <Button type="submit" loading={register.isPending}>
                {t('register.submit')}
              </Button>
            </Stack>
          </form>
        ) : !confirm.isSuccess ? (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              confirm.mutate();
            }}
          >
            <Stack>
              <Alert color="blue" role="status">
                {t('register.sent')}
              </Alert>
              <TextInput
                label={t('register.code')}
                autoComplete="one-time-code"
                required
                value={code}
                onChange={(event) => setCode(event.currentTarget.value)}
              />
              {confirm.isError && <ErrorState error={confirm.error} />}
              <Button type="submit" loading={confirm.isPending}>
                {t('register.confirm')}
              </Button>
            </Stack>
          </form>
        ) : (
          <Alert color="green" role="status">
            {t('register.confirmed')}
          </Alert>
        )}
        <Anchor component={Link} to="/login" size="sm">
          {t('register.toLogin')}
        </Anchor>
      </Stack>
    </Card>
  );
}
