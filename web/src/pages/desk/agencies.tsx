/** The agency directory: who may send requests, from which domains, and the number the desk calls back. Admins change status. */
import { Badge, Button, Card, Code, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RequireSignIn } from '../../components/require-sign-in';
import { api, unwrap } from '../../api/client';
import { Empty, ErrorState, QueryView } from '../../components/states';
import { hasRole, useMe } from '../../session';

const STATUS_COLOURS: Record<string, string> = { verified: 'green', pending: 'yellow', suspended: 'orange', blocklisted: 'red' };
const STATUSES = ['verified', 'pending', 'suspended', 'blocklisted'] as const;

function StatusChange({ id, current }: { id: string; current: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [status, setStatus] = useState(current);
  const [reason, setReason] = useState('');
  const change = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/v1/agencies/{id}', {
          params: { path: { id } },
          body: { status: status as (typeof STATUSES)[number], reason: reason.trim() },
        }),
      ),
    onSuccess: () => {
      setReason('');
      void client.invalidateQueries({ queryKey: ['agencies'] });
    },
  });
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="nowrap" align="flex-end">
        <NativeSelect
          size="xs"
          aria-label={t('desk.changeStatus')}
          value={status}
          onChange={(event) => setStatus(event.currentTarget.value)}
          data={STATUSES.map((value) => ({ value, label: t(`desk.agencyStatuses.${value}`) }))}
        />
        <TextInput
          size="xs"
          aria-label={t('desk.statusReason')}
          placeholder={t('desk.statusReason')}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
        />
        <Button
          size="xs"
          variant="default"
          disabled={status === current || !reason.trim()}
          loading={change.isPending}
          onClick={() => change.mutate()}
        >
          {t('app.save')}
        </Button>
      </Group>
      {change.isError && <ErrorState error={change.error} />}
    </Stack>
  );
}

export function AgenciesPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const agencies = useQuery({ queryKey: ['agencies'], queryFn: () => unwrap(api.GET('/api/v1/agencies')) });
  const isAdmin = hasRole(me, 'admin');
  return (
    <Stack>
      <div>
        <Title order={1}>{t('desk.agenciesTitle')}</Title>
        <Text c="dimmed" size="sm">
          {t('desk.agenciesIntro')}
        </Text>
      </div>
      <QueryView query={agencies}>
        {(data) =>
          data.items.length === 0 ? (
            <Empty>{t('desk.agenciesEmpty')}</Empty>
          ) : (
            <Card withBorder padding={0}>
              <Table.ScrollContainer minWidth={760}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('desk.agency')}</Table.Th>
                      <Table.Th>{t('request.jurisdiction')}</Table.Th>
                      <Table.Th>{t('desk.domains')}</Table.Th>
                      <Table.Th>{t('desk.directoryPhone')}</Table.Th>
                      <Table.Th>{t('desk.status')}</Table.Th>
                      {isAdmin && <Table.Th>{t('desk.changeStatus')}</Table.Th>}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.map((agency) => (
                      <Table.Tr key={agency.id}>
                        <Table.Td>{agency.name}</Table.Td>
                        <Table.Td>{agency.jurisdiction ?? '—'}</Table.Td>
                        <Table.Td>
                          {agency.emailDomains.map((domain) => (
                            <Code key={domain} mr={4}>
                              {domain}
                            </Code>
                          ))}
                        </Table.Td>
                        <Table.Td>
                          {agency.verificationPhone ? <Code>{agency.verificationPhone}</Code> : '—'}
                          {agency.verificationPhoneSource && (
                            <Text size="xs" c="dimmed">
                              {agency.verificationPhoneSource}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Badge color={STATUS_COLOURS[agency.verificationStatus]} variant="light">
                            {t(`desk.agencyStatuses.${agency.verificationStatus}`)}
                          </Badge>
                        </Table.Td>
                        {isAdmin && (
                          <Table.Td>
                            <StatusChange id={agency.id} current={agency.verificationStatus} />
                          </Table.Td>
                        )}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
          )
        }
      </QueryView>
    </Stack>
  );
}

export function AgenciesPageRoute() {
  return (
    <RequireSignIn side="desk">
      <AgenciesPage />
    </RequireSignIn>
  );
}
