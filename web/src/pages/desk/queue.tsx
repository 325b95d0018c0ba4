/** The desk's queue: open emergencies first, deadline countdowns, filters and search. */
import { Badge, Button, Group, NativeSelect, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useInterval } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RequireSignIn } from '../../components/require-sign-in';
import { REQUEST_KINDS, REQUEST_STATES } from '../../../../src/core/request.ts';
import { api, unwrap, type RequestRecord } from '../../api/client';
import { KindBadge, StateBadge } from '../../components/request-parts';
import { Empty, ErrorState, Loading } from '../../components/states';
import { useFormat } from '../../format';

/** The next date something is due on a request: its deadline, or the follow-up an approved emergency promised. */
export const dueOf = (request: Pick<RequestRecord, 'deadline' | 'followUp'>): string | null =>
  request.deadline ?? (request.followUp.receivedAt ? null : request.followUp.due);

export function Countdown({ due, now }: { due: string | null; now: number }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (!due) return <Text size="sm">{t('desk.noDeadline')}</Text>;
  const left = Date.parse(due) - now;
  const urgent = left < 24 * 3_600_000;
  return (
    <Badge
      color={left < 0 ? 'red' : urgent ? 'orange' : 'gray'}
      variant={left < 0 ? 'filled' : 'light'}

      title={format.dateTime(due)}
    >
      <time dateTime={due}>
        {left < 0 ? t('desk.overdue', { time: format.duration(left) }) : t('desk.dueIn', { time: format.duration(left) })}
      </time>
    </Badge>
  );
}

export function QueuePage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [state, setState] = useState('');
  const [kind, setKind] = useState('');
  const [order, setOrder] = useState<'priority' | 'newest'>('priority');
  const [now, setNow] = useState(Date.now());
  useInterval(() => setNow(Date.now()), 30_000, { autoInvoke: true });
  const filters = { ...(q ? { q } : {}), ...(state ? { state } : {}), ...(kind ? { kind } : {}), order };
  const queue = useInfiniteQuery({
    queryKey: ['requests', 'queue', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/requests', {
          params: { query: { ...(filters as { order: 'priority' | 'newest' }), limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: 30_000,
  });
  const items = queue.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = !!(q || state || kind);
  return (
    <Stack>
      <div>
        <Title order={1}>{t('desk.queueTitle')}</Title>
        <Text c="dimmed" size="sm">
          {t('desk.queueIntro')}
        </Text>
      </div>
      <Group align="flex-end" wrap="wrap" role="search">
        <TextInput
          label={t('desk.search')}
          placeholder={t('desk.searchPlaceholder')}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          type="search"
          miw={260}
          style={{ flex: 1 }}
        />
        <NativeSelect
          label={t('requests.state')}
          value={state}
          onChange={(event) => setState(event.currentTarget.value)}
          data={[{ value: '', label: t('desk.allStates') }, ...REQUEST_STATES.map((value) => ({ value, label: t(`states.${value}`) }))]}
        />
        <NativeSelect
          label={t('requests.kind')}
          value={kind}
          onChange={(event) => setKind(event.currentTarget.value)}
          data={[{ value: '', label: t('desk.allKinds') }, ...REQUEST_KINDS.map((value) => ({ value, label: t(`kinds.${value}`) }))]}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="queue-order">
            {t('desk.order')}
          </Text>
          <SegmentedControl
            aria-labelledby="queue-order"
            value={order}
            onChange={(value) => setOrder(value as typeof order)}
            data={[
              { value: 'priority', label: t('desk.orderPriority') },
              { value: 'newest', label: t('desk.orderNewest') },
            ]}
          />
        </Stack>
      </Group>
      {queue.isPending ? (
        <Loading />
      ) : queue.isError ? (
        <ErrorState error={queue.error} onRetry={() => void queue.refetch()} />
      ) : items.length === 0 ? (
        <Empty>{filtered ? t('desk.empty') : t('desk.emptyQueue')}</Empty>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('requests.tracking')}</Table.Th>
                <Table.Th>{t('requests.kind')}</Table.Th>
                <Table.Th>{t('requests.state')}</Table.Th>
                <Table.Th>{t('desk.agency')}</Table.Th>
                <Table.Th>{t('requests.received')}</Table.Th>
                <Table.Th>{t('desk.due')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((request) => (
                <Table.Tr
                  key={request.id}
                  bg={
                    request.kind === 'emergency' && !['closed', 'withdrawn', 'delivered', 'rejected'].includes(request.state)
                      ? 'red.0'
                      : undefined
                  }
                >
                  <Table.Td>
                    <Link
                      to="/desk/requests/$tracking"
                      params={{ tracking: request.trackingNumber }}
                      className="row-link mono"
                      aria-label={t('desk.openRequest', { tracking: request.trackingNumber })}
                    >
                      {request.trackingNumber}
                    </Link>
                    {request.caseReference && (
                      <Text size="xs" c="dimmed">
                        {request.caseReference}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <KindBadge kind={request.kind} />
                  </Table.Td>
                  <Table.Td>
                    <StateBadge state={request.state} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      {request.agencyName}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <time dateTime={request.receivedAt} title={format.dateTime(request.receivedAt)}>
                      {format.fromNow(request.receivedAt, now)}
                    </time>
                  </Table.Td>
                  <Table.Td>
                    <Countdown due={dueOf(request)} now={now} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {queue.hasNextPage && (
        <Button variant="default" onClick={() => void queue.fetchNextPage()} loading={queue.isFetchingNextPage} w="fit-content">
          {t('requests.loadMore')}
        </Button>
      )}
    </Stack>
  );
}

export function QueuePageRoute() {
  return (
    <RequireSignIn side="desk">
      <QueuePage />
    </RequireSignIn>
  );
}
