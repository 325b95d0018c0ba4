/**
 * A request as the desk works it: the document beside the findings, the targets looked up on the platform, a
 * decision per target and category with reasons, the emergency two-person rule, the production and the audit trail.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Code,
  Grid,
  Group,
  NativeSelect,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, getRequestView, unwrap, type RequestView } from '../../api/client';
import { DocumentViewer } from '../../components/document-viewer';
import { ProductionPanel } from '../../components/production';
import { eventText, FindingsList, KindBadge, RequestFacts, StateBadge, VerdictTable } from '../../components/request-parts';
import { RequireSignIn } from '../../components/require-sign-in';
import { ErrorState, Loading, QueryView } from '../../components/states';
import { useFormat } from '../../format';
import { useFollowRequest } from '../../components/follow';
import { hasRole, useMe } from '../../session';
import { Thread } from '../agency/officer-request';

type Version = { reference: string; version: number };
const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

function useRefresh(reference: string) {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: ['request', reference] });
}

function Resolution({ view }: { view: RequestView }) {
  const { t } = useTranslation();
  const reference = view.request.trackingNumber;
  const resolution = useMutation({
    mutationFn: () => unwrap(api.GET('/api/v1/requests/{reference}/resolution', { params: { path: { reference }, query: {} } })),
  });
  const byTarget = new Map(resolution.data?.items.map((item) => [item.targetId, item]));
  return (
    <Card withBorder padding="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h5">
            {t('desk.resolution')}
          </Title>
          <Button size="xs" variant="light" onClick={() => resolution.mutate()} loading={resolution.isPending}>
            {t('desk.resolve')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {t('desk.resolveHelp')}
        </Text>
        {resolution.isError && <ErrorState error={resolution.error} />}
        <Table.ScrollContainer minWidth={420}>
          <Table withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('request.targets')}</Table.Th>
                <Table.Th>{t('desk.accounts')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {view.targets.slice(0, 200).map((target) => {
                const found = byTarget.get(target.id);
                return (
                  <Table.Tr key={target.id}>
                    <Table.Td>
                      <Badge size="xs" variant="light" mr={6}>
                        {t(`identifierKinds.${target.kind}`)}
                      </Badge>
                      <span className="mono">{target.value}</span>
                      {found && (
                        <Text size="xs" c="dimmed">
                          {t('desk.lookedUp', { kind: t(`identifierKinds.${found.lookedUp.kind}`), value: found.lookedUp.value })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {!found ? (
                        <Text size="sm" c="dimmed">
                          {t('desk.notResolved')}
                        </Text>
                      ) : found.status === 'not_found' ? (
                        <Badge color="gray" variant="light">
                          {t('desk.notFound')}
                        </Badge>
                      ) : (
                        found.accounts.map((account) => (
                          <Badge key={account.id} color="teal" variant="light" mr={4}>
                            {account.label} · {account.id}
                          </Badge>
                        ))
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </Card>
  );
}

function Decision({ view }: { view: RequestView }) {
  const { t } = useTranslation();
  const refresh = useRefresh(view.request.trackingNumber);
  const { trackingNumber: reference, version, categories } = view.request;
  const shownTargets = view.targets.slice(0, 200);
  const key = (targetId: string, category: string) => `${targetId}/${category}`;
  const [refused, setRefused] = useState<Record<string, boolean>>({});
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('');
  const [rejectReasons, setRejectReasons] = useState('');
  const [question, setQuestion] = useState('');
  const canApprove = view.allowedEvents.includes('approve') || view.allowedEvents.includes('approve_partially');
  const whole = Object.values(refused).every((value) => !value) && view.targets.length === shownTargets.length;
  const approve = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/requests/{reference}/approve', {
          params: { path: { reference }, header: ifMatch(version) },
          body: {
            ...(reason.trim() ? { reason: reason.trim() } : {}),
            ...(whole
              ? {}
              : {
                  items: shownTargets.flatMap((target) =>
                    categories.map((category) => {
                      const id = key(target.id, category);
                      const note = reasons[id]?.trim();
                      return { targetId: target.id, category, approved: !refused[id], ...(note ? { reason: note } : {}) };
                    }),
                  ),
                }),
          },
        }),
      ),
    onSuccess: refresh,
  });
  const reject = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/requests/{reference}/reject', {
          params: { path: { reference }, header: ifMatch(version) },
          body: { reasons: rejectReasons.trim() },
        }),
      ),
    onSuccess: refresh,
  });
  const ask = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/requests/{reference}/ask-info', {
          params: { path: { reference }, header: ifMatch(version) },
          body: { question: question.trim() },
        }),
      ),
    onSuccess: () => {
      setQuestion('');
      refresh();
    },
  });
  if (!canApprove && !view.allowedEvents.includes('ask_info')) return null;
  const setAll = (value: boolean) =>
    setRefused(Object.fromEntries(shownTargets.flatMap((target) => categories.map((category) => [key(target.id, category), value]))));
  return (
    <Card withBorder padding="md" aria-labelledby="decision-title">
      <Stack gap="sm">
        <Title order={3} size="h5" id="decision-title">
          {t('desk.decision')}
        </Title>
        {canApprove && (
          <>
            <Text size="xs" c="dimmed">
              {t('desk.decisionHelp')}
            </Text>
            <Group gap="xs">
              <Button size="xs" variant="default" onClick={() => setAll(false)}>
                {t('desk.approveAll')}
              </Button>
              <Button size="xs" variant="default" onClick={() => setAll(true)}>
                {t('desk.refuseAll')}
              </Button>
            </Group>
            <Table.ScrollContainer minWidth={420}>
              <Table withTableBorder>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('request.targets')}</Table.Th>
                    {categories.map((category) => (
                      <Table.Th key={category}>{t(`categories.${category}`)}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {shownTargets.map((target) => (
                    <Table.Tr key={target.id}>
                      <Table.Td className="mono">{target.value}</Table.Td>
                      {categories.map((category) => {
                        const id = key(target.id, category);
                        return (
                          <Table.Td key={category}>
                            <Stack gap={4}>
                              <Checkbox
                                checked={!refused[id]}
                                onChange={(event) => setRefused({ ...refused, [id]: !event.currentTarget.checked })}
                                aria-label={`${target.value} — ${t(`categories.${category}`)}`}
                              />
                              {refused[id] && (
                                <TextInput
                                  size="xs"
                                  aria-label={t('desk.itemReason', { target: target.value, category: t(`categories.${category}`) })}
                                  placeholder={t('desk.statusReason')}
                                  value={reasons[id] ?? ''}
                                  onChange={(event) => setReasons({ ...reasons, [id]: event.currentTarget.value })}
                                />
                              )}
                            </Stack>
                          </Table.Td>
                        );
                      })}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Textarea
              label={t('desk.overallReason')}
              description={t('desk.overallReasonHelp')}
              autosize
              minRows={2}
              value={reason}
              onChange={(event) => setReason(event.currentTarget.value)}
            />
            {approve.isError && <ErrorState error={approve.error} />}
            <Button onClick={() => approve.mutate()} loading={approve.isPending} w="fit-content">
              {t('desk.approve')}
            </Button>
            <Textarea
              label={t('desk.rejectReasons')}
              autosize
              minRows={2}
              value={rejectReasons}
              onChange={(event) => setRejectReasons(event.currentTarget.value)}
            />
            {reject.isError && <ErrorState error={reject.error} />}
            <Button
              color="red"
              variant="light"
              onClick={() => reject.mutate()}
              loading={reject.isPending}
              disabled={!rejectReasons.trim()}
              w="fit-content"
            >
              {t('desk.reject')}
            </Button>
          </>
        )}
        {view.allowedEvents.includes('ask_info') && (
          <>
            <Textarea
              label={t('desk.askInfoQuestion')}
              autosize
              minRows={2}
              value={question}
              onChange={(event) => setQuestion(event.currentTarget.value)}
            />
            {ask.isError && <ErrorState error={ask.error} />}
            <Button variant="default" onClick={() => ask.mutate()} loading={ask.isPending} disabled={!question.trim()} w="fit-content">
              {t('desk.askInfo')}
            </Button>
          </>
        )}
      </Stack>
    </Card>
  );
}

function TwoPersonRule({ view }: { view: RequestView }) {
  const { t } = useTranslation();
  const format = useFormat();
  const me = useMe().data;
  const reference = view.request.trackingNumber;
  const client = useQueryClient();
  const agency = useQuery({
    queryKey: ['agency', view.request.agencyId],
    queryFn: () => unwrap(api.GET('/api/v1/agencies/{id}', { params: { path: { id: view.request.agencyId } } })),
  });
  const callbacks = useQuery({
    queryKey: ['request', reference, 'callbacks'],
    queryFn: () => unwrap(api.GET('/api/v1/requests/{reference}/callbacks', { params: { path: { reference } } })),
  });
  const [outcome, setOutcome] = useState<'confirmed' | 'not_confirmed' | 'no_answer'>('confirmed');
  const [spokeWith, setSpokeWith] = useState('');
  const [note, setNote] = useState('');
  const record = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/requests/{reference}/callbacks', {
          params: { path: { reference } },
          body: { outcome, ...(spokeWith.trim() ? { spokeWith: spokeWith.trim() } : {}), ...(note.trim() ? { note: note.trim() } : {}) },
        }),
      ),
    onSuccess: () => {
      setSpokeWith('');
      setNote('');
      void client.invalidateQueries({ queryKey: ['request', reference] });
    },
  });
  const followUp = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/requests/{reference}/follow-up', { params: { path: { reference } }, body: {} })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['request', reference] }),
  });
  const canCall = hasRole(me, 'reviewer', 'counsel');
  return (
    <Card withBorder padding="md" bg="red.0" aria-labelledby="two-person-title">
      <Stack gap="sm">
        <Title order={3} size="h5" id="two-person-title">
          {t('desk.twoPerson')}
        </Title>
        <Text size="sm">{t('desk.twoPersonHelp')}</Text>
        <QueryView query={agency}>
          {(entry) =>
            entry.agency.verificationPhone ? (
              <Text size="sm">
                {t('desk.directoryPhone')}: <Code>{entry.agency.verificationPhone}</Code>{' '}
                <Text span size="xs" c="dimmed">
                  {t('desk.phoneSource', { source: entry.agency.verificationPhoneSource ?? '—' })}
                </Text>
              </Text>
            ) : (
              <Alert color="orange">{t('desk.noDirectoryPhone')}</Alert>
            )
          }
        </QueryView>
        <Title order={4} size="h6">
          {t('desk.callbacks')}
        </Title>
        <QueryView query={callbacks}>
          {(list) =>
            list.items.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('desk.noCallbacks')}
              </Text>
            ) : (
              <Stack gap={4} component="ol" style={{ paddingLeft: 16, margin: 0 }}>
                {list.items.map((call) => (
                  <Text key={call.id} component="li" size="sm">
                    <Badge size="xs" color={call.outcome === 'confirmed' ? 'green' : 'orange'} variant="light">
                      {t(`desk.callbackOutcomes.${call.outcome}`)}
                    </Badge>{' '}
                    {format.dateTime(call.calledAt)} · <Code>{call.phone}</Code>
                    {call.spokeWith ? ` · ${call.spokeWith}` : ''}
                  </Text>
                ))}
              </Stack>
            )
          }
        </QueryView>
        {canCall && !['closed', 'withdrawn', 'rejected'].includes(view.request.state) && (
          <Group align="flex-end" wrap="wrap">
            <NativeSelect
              label={t('desk.callOutcome')}
              value={outcome}
              onChange={(event) => setOutcome(event.currentTarget.value as typeof outcome)}
              data={(['confirmed', 'not_confirmed', 'no_answer'] as const).map((value) => ({
                value,
                label: t(`desk.callbackOutcomes.${value}`),
              }))}
            />
            <TextInput label={t('desk.spokeWith')} value={spokeWith} onChange={(event) => setSpokeWith(event.currentTarget.value)} />
            <TextInput label={t('desk.callNote')} value={note} onChange={(event) => setNote(event.currentTarget.value)} />
            <Button onClick={() => record.mutate()} loading={record.isPending} variant="light">
              {t('desk.recordCallback')}
            </Button>
          </Group>
        )}
        {record.isError && <ErrorState error={record.error} />}
        {view.request.followUp.due && (
          <Group gap="sm">
            <Text size="sm">
              {view.request.followUp.receivedAt
                ? t('desk.followUpReceived', { date: format.dateTime(view.request.followUp.receivedAt) })
                : t('desk.followUp', { date: format.dateTime(view.request.followUp.due) })}
            </Text>
            {!view.request.followUp.receivedAt && canCall && (
              <Button size="xs" variant="default" onClick={() => followUp.mutate()} loading={followUp.isPending}>
                {t('desk.recordFollowUp')}
              </Button>
            )}
          </Group>
        )}
      </Stack>
    </Card>
  );
}

function Notes({ view }: { view: RequestView }) {
  const { t } = useTranslation();
  const format = useFormat();
  const refresh = useRefresh(view.request.trackingNumber);
  const [body, setBody] = useState('');
  const me = useMe().data;
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/requests/{reference}/notes', {
          params: { path: { reference: view.request.trackingNumber }, header: {} },
          body: { body },
        }),
      ),
    onSuccess: () => {
      setBody('');
      refresh();
    },
  });
  return (
    <Card withBorder padding="md">
      <Stack gap="sm">
        <Title order={3} size="h5">
          {t('desk.notes')}
        </Title>
        {(view.notes ?? []).length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('desk.noNotes')}
          </Text>
        ) : (
          (view.notes ?? []).map((note) => (
            <Card key={note.id} padding="xs" withBorder bg="yellow.0">
              <Text size="xs" fw={600}>
                {note.authorName} · {format.dateTime(note.createdAt)}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {note.body}
              </Text>
            </Card>
          ))
        )}
        {hasRole(me, 'reviewer', 'counsel') && (
          <>
            <Textarea
              aria-label={t('desk.addNote')}
              autosize
              minRows={2}
              value={body}
              onChange={(event) => setBody(event.currentTarget.value)}
            />
            <Button
              size="xs"
              variant="default"
              onClick={() => add.mutate()}
              disabled={!body.trim()}
              loading={add.isPending}
              w="fit-content"
            >
              {t('desk.addNote')}
            </Button>
          </>
        )}
      </Stack>
    </Card>
  );
}

function AuditTrail({ view }: { view: RequestView }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('desk.auditHelp')}
      </Text>
      <Table.ScrollContainer minWidth={480}>
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>{t('requests.received')}</Table.Th>
              <Table.Th>{t('desk.status')}</Table.Th>
              <Table.Th>{t('request.agency')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.timeline.map((entry) => (
              <Table.Tr key={entry.id}>
                <Table.Td className="mono">{entry.id}</Table.Td>
                <Table.Td>
                  <time dateTime={entry.occurredAt}>{format.dateTime(entry.occurredAt)}</time>
                </Table.Td>
                <Table.Td>
                  {eventText(entry, t)} <Code fz="xs">{entry.type}</Code>
                </Table.Td>
                <Table.Td>{t(`sides.${entry.side}`)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function Actions({ view }: { view: RequestView }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const refresh = useRefresh(view.request.trackingNumber);
  const { trackingNumber: reference, version } = view.request;
  const call = (path: 'produce' | 'close' | 'confirm-requester') =>
    unwrap(api.POST(`/api/v1/requests/{reference}/${path}`, { params: { path: { reference }, header: ifMatch(version) }, body: {} }));
  const action = useMutation({ mutationFn: call, onSuccess: refresh });
  const buttons: Array<{ path: 'produce' | 'close' | 'confirm-requester'; label: string; show: boolean; help?: string }> = [
    {
      path: 'confirm-requester',
      label: t('desk.confirmRequester'),
      show: view.request.state === 'verifying' && view.allowedEvents.includes('pass_verification') && hasRole(me, 'reviewer', 'counsel'),
    },
    {
      path: 'produce',
      label: t('desk.produce'),
      show: view.allowedEvents.includes('start_production') && hasRole(me, 'counsel'),
      help: t('desk.produceHelp'),
    },
    { path: 'close', label: t('desk.close'), show: view.allowedEvents.includes('close') && hasRole(me, 'reviewer', 'counsel') },
  ];
  const shown = buttons.filter((button) => button.show);
  if (shown.length === 0) return null;
  return (
    <Stack gap="xs">
      <Group gap="xs">
        {shown.map((button) => (
          <Button
            key={button.path}
            variant={button.path === 'produce' ? 'filled' : 'default'}
            loading={action.isPending && action.variables === button.path}
            onClick={() => action.mutate(button.path)}
            title={button.help}
          >
            {button.label}
          </Button>
        ))}
      </Group>
      {action.isError && <ErrorState error={action.error} />}
    </Stack>
  );
}

function DeskRequest({ reference }: Pick<Version, 'reference'>) {
  const { t } = useTranslation();
  const format = useFormat();
  const me = useMe().data;
  const view = useQuery({ queryKey: ['request', reference], queryFn: () => getRequestView(reference) });
  // Verification runs in the background just after a submission, production after counsel starts it: follow both.
  const state = view.data?.request.state ?? '';
  useFollowRequest(reference, view.data?.request.version, ['received', 'verifying', 'producing'].includes(state) ? 2000 : 20_000);
  const findings = useQuery({
    queryKey: ['request', reference, 'findings', view.data?.request.version],
    queryFn: () => unwrap(api.GET('/api/v1/requests/{reference}/findings', { params: { path: { reference } } })),
    enabled: !!view.data,
  });
  if (view.isPending) return <Loading />;
  if (view.isError) return <ErrorState error={view.error} onRetry={() => void view.refetch()} />;
  const data = view.data;
  return (
    <Stack>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4}>
          <Title order={1} className="mono">
            {data.request.trackingNumber}
          </Title>
          <Group gap="xs">
            <KindBadge kind={data.request.kind} />
            <StateBadge state={data.request.state} />
            <Text size="sm">{data.request.agencyName}</Text>
          </Group>
        </Stack>
        <Actions view={data} />
      </Group>
      {data.holds && data.holds.length > 0 && data.request.state === 'verifying' && (
        <Alert color="yellow" title={t('desk.holds')}>
          <Stack gap={2}>
            {data.holds.map((hold) => (
              <Text key={hold.code} size="sm">
                <Code>{hold.code}</Code> {hold.detail}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Card withBorder padding="md" style={{ position: 'sticky', top: 72 }} aria-label={t('desk.documentViewer')}>
            <DocumentViewer documents={data.documents} width={460} />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Tabs defaultValue="review" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="review">{t('desk.decision')}</Tabs.Tab>
              <Tabs.Tab value="conversation">{t('request.thread')}</Tabs.Tab>
              <Tabs.Tab value="audit">{t('desk.audit')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="review" pt="md">
              <Stack>
                <ProductionPanel
                  reference={reference}
                  trackingNumber={data.request.trackingNumber}
                  state={data.request.state}
                  canDownload={hasRole(me, 'counsel', 'admin', 'auditor')}
                />
                <Card withBorder padding="md">
                  <Stack gap="sm">
                    <Title order={3} size="h5">
                      {t('request.findings')}
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
                {data.request.kind === 'emergency' && <TwoPersonRule view={data} />}
                <Card withBorder padding="md">
                  <RequestFacts view={data} />
                </Card>
                {hasRole(me, 'reviewer', 'counsel') && <Resolution view={data} />}
                {hasRole(me, 'reviewer', 'counsel') && <Decision view={data} />}
                {data.decisions.length > 0 && (
                  <Card withBorder padding="md">
                    <Title order={3} size="h5" mb="xs">
                      {t('desk.decisions')}
                    </Title>
                    {data.decisions.map((decision) => (
                      <Text key={decision.id} size="sm">
                        <StateBadge state={decision.outcome} /> {t('desk.decidedBy', { name: decision.decidedByName })} ·{' '}
                        {format.dateTime(decision.createdAt)}
                        {decision.reason ? ` — ${decision.reason}` : ''}
                      </Text>
                    ))}
                  </Card>
                )}
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="conversation" pt="md">
              <Stack>
                <Thread view={data} side="desk" canWrite={hasRole(me, 'reviewer', 'counsel')} />
                <Notes view={data} />
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="audit" pt="md">
              <AuditTrail view={data} />
            </Tabs.Panel>
          </Tabs>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

export function DeskRequestPage() {
  const { t } = useTranslation();
  const { tracking } = useParams({ from: '/desk/requests/$tracking' });
  return (
    <RequireSignIn side="desk">
      <Stack>
        <Anchor component={Link} to="/desk" size="sm">
          ← {t('desk.queueTitle')}
        </Anchor>
        <DeskRequest reference={tracking} />
      </Stack>
    </RequireSignIn>
  );
}
