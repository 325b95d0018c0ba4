/** Officer approvals: people who registered and confirmed their address, waiting for an admin (or their agency's admin). */
import { Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RequireSignIn } from '../../components/require-sign-in';
import { api, unwrap } from '../../api/client';
import { Empty, ErrorState, QueryView } from '../../components/states';
import { useFormat } from '../../format';
import { hasRole, useMe } from '../../session';

function Approve({ id }: { id: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const approve = useMutation({
    mutationFn: () =>
      unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body: { status: 'active', reason: reason.trim() } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['people'] }),
  });
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="nowrap">
        <TextInput
          size="xs"
          aria-label={t('desk.approveReason')}
          placeholder={t('desk.approveReason')}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
        />
        <Button size="xs" disabled={!reason.trim()} loading={approve.isPending} onClick={() => approve.mutate()}>
          {t('desk.approvePerson')}
        </Button>
      </Group>
      {approve.isError && <ErrorState error={approve.error} />}
    </Stack>
  );
}

export function PeoplePage() {
  const { t } = useTranslation();
  const format = useFormat();
  const me = useMe().data;
  const allowed = hasRole(me, 'admin', 'agency_admin');
  const people = useQuery({
    queryKey: ['people', 'pending'],
    queryFn: () => unwrap(api.GET('/api/v1/users', { params: { query: { status: 'pending', limit: 100 } } })),
    enabled: allowed,
  });
  return (
    <Stack>
      <div>
        <Title order={1}>{t('desk.peopleTitle')}</Title>
        <Text c="dimmed" size="sm">
          {t('desk.peopleIntro')}
        </Text>
      </div>
      {!allowed ? (
        <Empty>{t('desk.peopleForbidden')}</Empty>
      ) : (
        <QueryView query={people}>
          {(data) =>
            data.items.length === 0 ? (
              <Empty>{t('desk.peopleEmpty')}</Empty>
            ) : (
              <Card withBorder padding={0}>
                <Table.ScrollContainer minWidth={680}>
                  <Table striped>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('login.email')}</Table.Th>
                        <Table.Th>{t('desk.agency')}</Table.Th>
                        <Table.Th>{t('desk.registered')}</Table.Th>
                        <Table.Th>{t('desk.approvePerson')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.items.map((person) => (
                        <Table.Tr key={person.id}>
                          <Table.Td>
                            <Text size="sm" fw={600}>
                              {person.displayName}
                            </Text>
                            <Text size="xs" className="mono">
                              {person.email}
                            </Text>
                          </Table.Td>
                          <Table.Td>{person.organisationName}</Table.Td>
                          <Table.Td>{format.dateTime(person.createdAt)}</Table.Td>
                          <Table.Td>
                            <Approve id={person.id} />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Card>
            )
          }
        </QueryView>
      )}
    </Stack>
  );
}

export function DeskPeopleRoute() {
  return (
    <RequireSignIn side="desk">
      <PeoplePage />
    </RequireSignIn>
  );
}

export function AgencyPeopleRoute() {
  return (
    <RequireSignIn side="agency">
      <PeoplePage />
    </RequireSignIn>
  );
}
