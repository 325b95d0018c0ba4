/** A signed-in person without a second factor sets one up: an authenticator app (TOTP), or a passkey. */
import { Alert, Anchor, Button, Card, Code, Divider, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../api/client';
import { ErrorState, Loading } from '../components/states';
import { homeOf, meQuery, useMe } from '../session';

interface JsonCredentials {
  parseCreationOptionsFromJSON?: (options: unknown) => PublicKeyCredentialCreationOptions;
}

export function EnrolPage() {
  const { t } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [passkeyName, setPasskeyName] = useState('');
  const [done, setDone] = useState(false);
  const start = useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/auth/mfa/totp')) });
  const finished = async () => {
    setDone(true);
    const fresh = await client.fetchQuery({ ...meQuery, staleTime: 0 });
    if (fresh?.status !== 'pending') void navigate({ to: homeOf(fresh) });
  };
  const confirm = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/mfa/totp/confirm', { body: { code } })),
    onSuccess: finished,
  });
  const passkey = useMutation({
    mutationFn: async () => {
      const parse = (window.PublicKeyCredential as unknown as JsonCredentials | undefined)?.parseCreationOptionsFromJSON;
      if (!parse) throw new ApiError({ status: 0, code: 'PASSKEY_UNSUPPORTED', detail: t('login.passkeyUnsupported') });
      const options = await unwrap(api.POST('/api/v1/auth/passkeys/options'));
      const credential = (await navigator.credentials.create({ publicKey: parse(options) })) as
        (PublicKeyCredential & { toJSON(): object }) | null;
      if (!credential) throw new ApiError({ status: 0, code: 'PASSKEY_CANCELLED', detail: t('login.passkeyFailed') });
      return unwrap(
        api.POST('/api/v1/auth/passkeys', {
          body: { name: passkeyName.trim() || 'Passkey', response: credential.toJSON() as Record<string, unknown> },
        }),
      );
    },
    onSuccess: finished,
  });
  if (me.isPending) return <Loading />;
  if (!me.data) {
    void navigate({ to: '/login' });
    return <Loading />;
  }
  return (
    <Card withBorder padding="lg" maw={560} mx="auto" my="lg">
      <Stack>
        <Title order={1} size="h2">
          {t('enrol.title')}
        </Title>
        {done ? (
          <Alert color="green" role="status">
            {t('enrol.done')} {me.data.status === 'pending' ? t('enrol.pending') : ''}
          </Alert>
        ) : (
          <>
            <Text size="sm">{t('enrol.intro')}</Text>
            {!start.data ? (
              <Button onClick={() => start.mutate()} loading={start.isPending} w="fit-content">
                {t('enrol.title')}
              </Button>
            ) : (
              <form
                onSubmit={(event) => {
                  event.preventDefault();
                  confirm.mutate();
                }}
              >
                <Stack>
                  <div>
                    <Text size="sm" fw={500}>
                      {t('enrol.secret')}
                    </Text>
                    <Code fz="md" className="mono">
                      {start.data.secret.replace(/(.{4})/g, '$1 ').trim()}
                    </Code>
                  </div>
                  <Anchor href={start.data.uri} size="sm">
                    {t('enrol.uri')}
                  </Anchor>
                  <TextInput
                    label={t('enrol.code')}
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    maxLength={6}
                    value={code}
                    onChange={(event) => setCode(event.currentTarget.value.replace(/\D/g, ''))}
                  />
                  {confirm.isError && <ErrorState error={confirm.error} />}
                  <Button type="submit" loading={confirm.isPending} disabled={code.length !== 6} w="fit-content">
                    {t('enrol.confirm')}
                  </Button>
                </Stack>
              </form>
            )}
            {start.isError && <ErrorState error={start.error} />}
            <Divider label={t('login.or')} />
            <TextInput label={t('enrol.passkeyName')} value={passkeyName} onChange={(event) => setPasskeyName(event.currentTarget.value)} />
            {passkey.isError && <ErrorState error={passkey.error} />}
            <Button variant="default" onClick={() => passkey.mutate()} loading={passkey.isPending} w="fit-content">
              {t('enrol.passkeyAdd')}
            </Button>
          </>
        )}
      </Stack>
    </Card>
  );
}
