/** One request as its officer follows it: where it stands, what Writ found, the desk's questions, and the production. */
import { Alert, Anchor, Badge, Button, Card, Code, Grid, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, getFindings, getRequestView, unwrap, type RequestView } from '../../api/client';
import { ProductionPanel } from '../../components/production';
import { FindingsList, KindBadge, RequestFacts, RequestTimeline, StateBadge, VerdictTable } from '../../components/request-parts';
import { ErrorState, QueryView, errorText } from '../../components/states';
import { useFormat } from '../../format';
import { useFollowRequest } from '../../components/follow';

export function Thread({ view, side, canWrite = true }: { view: RequestView; side: 'agency' | 'desk'; canWrite?: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const reference = view.request.trackingNumber;
  const [body, setBody] = useState('');
  const answering = side === 'agency' && view.allowedEvents.includes('answer');
  const send = useMutation({
    mutationFn: async (): Promise<void> => {
      if (answering)
        await unwrap(
          api.POST('/api/v1/requests/{reference}/answer', {
            params: { path: { reference }, header: { 'if-match': `"${view.request.version}"` } },
            body: { body },
          }),
        );
      else await unwrap(api.POST('/api/v1/requests/{reference}/messages', { params: { path: { reference }, header: {} }, body: { body } }));
    },
    onSuccess: () => {
      setBody('');
      void client.invalidateQueries({ queryKey: ['request', reference] });
    },
  });
  const lastDeskMessage = [...view.messages].reverse().find((message) => message.side === 'desk');
  return (
    <Card withBorder padding="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('request.thread')}
        </Title>
        {answering && lastDeskMessage && (
          <Alert color="orange" title={t('request.question')}>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {lastDeskMessage.body}
            </Text>
          </Alert>
        )}
        {view.messages.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('request.noMessages')}
          </Text>
        ) : (
          <Stack gap="xs" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {view.messages.map((message) => (
              <Card key={message.id} component="li" padding="xs" bg={message.side === 'desk' ? 'gray.0' : 'writ.0'} withBorder>
                <Group gap="xs">
                  <Badge size="xs" variant="light">
                    {t(`sides.${message.side}`)}
                  </Badge>
                  <Text size="xs" fw={600}>
                    {message.authorName}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {format.dateTime(message.createdAt)}
                  </Text>
                </Group>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {message.body}
                </Text>
              </Card>
            ))}
          </Stack>
        )}
        {canWrite && !['closed', 'withdrawn'].includes(view.request.state) && (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (body.trim()) send.mutate();
            }}
          >
            <Stack gap="xs">
              <Textarea
                label={answering ? t('request.answer') : t('request.message')}
                autosize
                minRows={2}
                value={body}
                onChange={(event) => setBody(event.currentTarget.value)}
              />
              {send.isError && (
                <Text c="red" size="sm" role="alert">
                  {errorText(send.error, t)}
                </Text>
              )}
              <Button type="submit" loading={send.isPending} disabled={!body.trim()} w="fit-content">
                {answering ? t('request.sendAnswer') : t('request.sendMessage')}
              </Button>
            </Stack>
          </form>
        )}
      </Stack>
    </Card>
  );
}

export function OfficerRequestPage() {
  const { t } = useTranslation();
  const { tracking } = useParams({ from: '/agency/requests/$tracking' });
  const client = useQueryClient();
  const view = useQuery({ queryKey: ['request', tracking], queryFn: () => getRequestView(tracking) });
  // While the desk works on it the page follows on its own: every 15 s, every 2 s while it is produced.
  useFollowRequest(tracking, view.data?.request.version, view.data?.request.state === 'producing' ? 2000 : 15_000);
  const findings = useQuery({
    queryKey: ['request', tracking, 'findings', view.data?.request.version],
    queryFn: () => getFindings(tracking),
    enabled: !!view.data,
  });
  const withdraw = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/requests/{reference}/withdraw', {
          params: { path: { reference: tracking }, header: { 'if-match': `"${view.data!.request.version}"` } },
          body: {},
        }),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['request', tracking] }),
  });
  return (
    <Stack>
      <Anchor component={Link} to="/agency" size="sm">
        ← {t('request.back')}
      </Anchor>
      <QueryView query={view}>
        {(data) => (
          <Stack>
            <Group justify="space-between" align="flex-start" wrap="wrap">
              <Stack gap={4}>
                <Title order={1} className="mono">
                  {data.request.trackingNumber}
                </Title>
                <Group gap="xs">
                  <KindBadge kind={data.request.kind} />
                  <StateBadge state={data.request.state} />
                </Group>
                <Text size="xs" c="dimmed">
                  {t('request.receiptHash')}: <Code className="mono">{data.request.payloadSha256}</Code>
                </Text>
              </Stack>
              {data.allowedEvents.includes('withdraw') && (
                <Button
                  variant="default"
                  color="red"
                  loading={withdraw.isPending}
                  onClick={() => window.confirm(t('request.withdrawConfirm')) && withdraw.mutate()}
                >
                  {t('request.withdraw')}
                </Button>
              )}
            </Group>
            {withdraw.isError && <ErrorState error={withdraw.error} />}
            <Grid gap="lg">
              <Grid.Col span={{ base: 12, md: 7 }}>
                <Stack>
                  <ProductionPanel
                    reference={tracking}
                    trackingNumber={data.request.trackingNumber}
                    state={data.request.state}
                    canDownload
                  />
                  <Card withBorder padding="md">
                    <Stack gap="sm">
                      <Title order={2} size="h4">
                        {t('request.findingsAfter')}
                      </Title>
                      <QueryView query={findings}>
                        {(result) => (
                          <Stack gap="sm">
                            <FindingsList findings={result.findings} empty={t('request.findingsNone')} />
                            <Title order={4}>{t('verdicts.title')}</Title>
                            <VerdictTable verdicts={result.verdicts} />
                          </Stack>
                        )}
                      </QueryView>
                    </Stack>
                  </Card>
                  <Thread view={data} side="agency" />
                  <Card withBorder padding="md">
                    <RequestFacts view={data} />
                  </Card>
                </Stack>
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 5 }}>
                <Card withBorder padding="md">
                  <Title order={2} size="h4" mb="sm">
                    {t('request.timeline')}
                  </Title>
                  <RequestTimeline entries={data.timeline} />
                </Card>
              </Grid.Col>
            </Grid>
          </Stack>
        )}
      </QueryView>
    </Stack>
  );
}
