/** The officer's requests, newest first, each a link to follow it. */
import { Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { KindBadge, StateBadge } from '../../components/request-parts';
import { Empty, ErrorState, Loading } from '../../components/states';
import { useFormat } from '../../format';
import { hasRole, useMe } from '../../session';

export function MyRequestsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const me = useMe().data;
  const requests = useInfiniteQuery({
    queryKey: ['requests', 'mine'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/requests', { params: { query: { order: 'newest', limit: 25, ...(pageParam ? { cursor: pageParam } : {}) } } }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const canSubmit = hasRole(me, 'officer');
  const items = requests.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={1}>{t('requests.title')}</Title>
          <Text c="dimmed" size="sm" maw={720}>
            {t('requests.intro')}
          </Text>
        </div>
        {canSubmit && (
          <Button component={Link} to="/agency/requests/new">
            {t('nav.newRequest')}
          </Button>
        )}
      </Group>
      {requests.isPending ? (
        <Loading />
      ) : requests.isError ? (
        <ErrorState error={requests.error} onRetry={() => void requests.refetch()} />
      ) : items.length === 0 ? (
        <Empty
          action={
            canSubmit && (
              <Button component={Link} to="/agency/requests/new" variant="light">
                {t('requests.emptyAction')}
              </Button>
            )
          }
        >
          {t('requests.empty')}
        </Empty>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('requests.tracking')}</Table.Th>
                <Table.Th>{t('requests.kind')}</Table.Th>
                <Table.Th>{t('requests.state')}</Table.Th>
                <Table.Th>{t('requests.caseReference')}</Table.Th>
                <Table.Th>{t('requests.received')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((request) => (
                <Table.Tr key={request.id}>
                  <Table.Td>
                    <Link to="/agency/requests/$tracking" params={{ tracking: request.trackingNumber }} className="row-link mono">
                      {request.trackingNumber}
                    </Link>
                  </Table.Td>
                  <Table.Td>
                    <KindBadge kind={request.kind} />
                  </Table.Td>
                  <Table.Td>
                    <StateBadge state={request.state} />
                  </Table.Td>
                  <Table.Td>{request.caseReference ?? '—'}</Table.Td>
                  <Table.Td>
                    <time dateTime={request.receivedAt}>{format.dateTime(request.receivedAt)}</time>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {requests.hasNextPage && (
        <Button variant="default" onClick={() => void requests.fetchNextPage()} loading={requests.isFetchingNextPage} w="fit-content">
          {t('requests.loadMore')}
        </Button>
      )}
    </Stack>
  );
}
