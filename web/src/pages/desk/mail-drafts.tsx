/**
 * The desk's drafts made of email. Each field shows its value and where it came from: which message, and how far that
 * message's sender was trusted. A follow-up trusted less than its draft (THREAD_TRUST_DOWNGRADE) changed nothing; what
 * it would bring is listed beside it, and the desk takes it one field at a time.
 */
import { Badge, Button, Card, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { RequireSignIn } from '../../components/require-sign-in';
import { Empty, ErrorState, QueryView } from '../../components/states';
import { useFormat } from '../../format';
import { hasRole, useMe } from '../../session';

type AcceptBody = paths['/api/v1/intake/drafts/{reference}/accept']['post']['requestBody']['content']['application/json'];
type Trust = 'verified_officer' | 'agency_domain' | 'unverified' | 'suspicious' | null;

const TRUST_COLOUR: Record<string, string> = {
  verified_officer: 'green',
  agency_domain: 'teal',
  unverified: 'yellow',
  suspicious: 'red',
};

export function TrustBadge({ trust }: { trust: Trust | undefined }) {
  const { t } = useTranslation();
  const level = trust ?? 'unverified';
  return (
    <Badge size="sm" variant="light" color={TRUST_COLOUR[level] ?? 'gray'}>
      {t(`drafts.trust.${level}`)}
    </Badge>
  );
}

const shown = (value: unknown): string => {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(shown).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

interface Source {
  messageId: string;
  trust: Trust;
}
/** The messages a field's values came from, each once. */
function sourcesOf(extracted: unknown): Source[] {
  const entries = (Array.isArray(extracted) ? extracted : [extracted]) as Array<{ source?: Source } | null>;
  const seen = new Map<string, Source>();
  for (const entry of entries) if (entry?.source) seen.set(entry.source.messageId, entry.source);
  return [...seen.values()];
}

function Draft({ reference }: { reference: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const me = useMe().data;
  const canManage = hasRole(me, 'reviewer', 'counsel');
  const draft = useQuery({
    queryKey: ['draft', reference],
    queryFn: () => unwrap(api.GET('/api/v1/intake/drafts/{reference}', { params: { path: { reference } } })),
  });
  const accept = useMutation({
    mutationFn: (input: AcceptBody) =>
      unwrap(
        api.POST('/api/v1/intake/drafts/{reference}/accept', {
          params: { path: { reference } },
          body: input,
        }),
      ),
    onSuccess: (view) => client.setQueryData(['draft', reference], view),
  });
  return (
    <QueryView query={draft}>
      {(view) => {
        const order = new Map(view.messages.map((message, index) => [message.id, index + 1]));
        const label = (messageId: string) => t('drafts.messageNumber', { number: order.get(messageId) ?? '?' });
        return (
          <Stack>
            <Group justify="space-between">
              <Title order={2} className="mono">
                {view.draft.trackingNumber}
              </Title>
              <Group gap="xs">
                <Text size="sm">{t('drafts.firstMessage')}</Text>
                <TrustBadge trust={view.trust?.level ?? null} />
              </Group>
            </Group>
            <Card withBorder padding={0}>
              <Table.ScrollContainer minWidth={640}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('drafts.field')}</Table.Th>
                      <Table.Th>{t('drafts.value')}</Table.Th>
                      <Table.Th>{t('drafts.source')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {Object.entries(view.fields)
                      .filter(([, field]) => shown(field.value) !== '—')
                      .map(([name, field]) => (
                        <Table.Tr key={name}>
                          <Table.Td>
                            <Code fz="xs">{name}</Code>
                          </Table.Td>
                          <Table.Td>{shown(field.value)}</Table.Td>
                          <Table.Td>
                            <Group gap={4}>
                              {field.corrected && (
                                <Badge size="sm" variant="outline">
                                  {t('drafts.corrected')}
                                </Badge>
                              )}
                              {sourcesOf(field.extracted).map((source) => (
                                <Group key={source.messageId} gap={4} wrap="nowrap">
                                  <Text size="xs">{label(source.messageId)}</Text>
                                  <TrustBadge trust={source.trust} />
                                </Group>
                              ))}
                            </Group>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
            {view.followUps.length > 0 && <Title order={3}>{t('drafts.followUps')}</Title>}
            {view.followUps.map((followUp) => (
              <Card key={followUp.messageId} withBorder>
                <Stack gap="xs">
                  <Group gap="xs">
                    <Text fw={600}>{label(followUp.messageId)}</Text>
                    <TrustBadge trust={followUp.trust} />
                    {followUp.heldApart && (
                      <Badge color="orange" variant="filled" size="sm">
                        THREAD_TRUST_DOWNGRADE
                      </Badge>
                    )}
                  </Group>
                  {followUp.heldApart && (
                    <Text size="sm" c="dimmed">
                      {t('drafts.heldApart')}
                    </Text>
                  )}
                  {Object.keys(followUp.offers).length === 0 ? (
                    <Text size="sm" c="dimmed">
                      {t('drafts.nothingOffered')}
                    </Text>
                  ) : (
                    <Table>
                      <Table.Tbody>
                        {Object.entries(followUp.offers).map(([field, value]) => (
                          <Table.Tr key={field}>
                            <Table.Td>
                              <Code fz="xs">{field}</Code>
                            </Table.Td>
                            <Table.Td>{shown(value)}</Table.Td>
                            <Table.Td>
                              {canManage && view.draft.status === 'open' && (
                                <Button
                                  size="xs"
                                  variant="light"
                                  loading={accept.isPending}
                                  onClick={() =>
                                    accept.mutate({
                                      messageId: followUp.messageId,
                                      field: field as AcceptBody['field'],
                                      version: view.draft.version,
                                    })
                                  }
                                >
                                  {t('drafts.accept')}
                                </Button>
                              )}
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  )}
                </Stack>
              </Card>
            ))}
            {accept.isError && <ErrorState error={accept.error} />}
          </Stack>
        );
      }}
    </QueryView>
  );
}

export function MailDraftsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [selected, setSelected] = useState<string | undefined>();
  const drafts = useQuery({
    queryKey: ['drafts', 'open'],
    queryFn: () => unwrap(api.GET('/api/v1/intake/drafts', { params: { query: { status: 'open', limit: 100 } } })),
  });
  return (
    <Stack>
      <div>
        <Title order={1}>{t('drafts.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('drafts.intro')}
        </Text>
      </div>
      <QueryView query={drafts}>
        {(data) =>
          data.items.length === 0 ? (
            <Empty>{t('drafts.empty')}</Empty>
          ) : (
            <Card withBorder padding={0}>
              <Table.ScrollContainer minWidth={560}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('requests.tracking')}</Table.Th>
                      <Table.Th>{t('requests.received')}</Table.Th>
                      <Table.Th>{t('drafts.targets')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.map((draft) => (
                      <Table.Tr key={draft.id}>
                        <Table.Td>
                          <Button
                            variant={selected === draft.id ? 'light' : 'subtle'}
                            size="compact-sm"
                            className="mono"
                            aria-pressed={selected === draft.id}
                            onClick={() => setSelected(draft.id)}
                          >
                            {draft.trackingNumber}
                          </Button>
                        </Table.Td>
                        <Table.Td>{format.dateTime(draft.createdAt)}</Table.Td>
                        <Table.Td>{shown(draft.summary.targets)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
          )
        }
      </QueryView>
      {selected && <Draft reference={selected} />}
    </Stack>
  );
}

export function MailDraftsRoute() {
  return (
    <RequireSignIn side="desk">
      <MailDraftsPage />
    </RequireSignIn>
  );
}
