/**
 * The notice a user opens from the link in their mail: who asked about their account, under what legal process, what
 * was disclosed (or done with their content), when, and how to challenge it. No sign-in: the token is the key. A link
 * that is wrong, cut short or of a notice not sent answers 404, and the page says plainly that it is not valid.
 */
import { Alert, Anchor, Card, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap, type paths } from '../../api/client';
import { ErrorState, Loading } from '../../components/states';
import { useFormat } from '../../format';

type Notice = paths['/api/v1/notices/{token}']['get']['responses'][200]['content']['application/json'];

function Section({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <Card withBorder padding="md" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Title order={2} size="h3" id={id}>
          {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}

function Facts({ items }: { items: ReadonlyArray<readonly [string, ReactNode]> }) {
  return (
    <dl className="facts">
      {items.map(([term, value]) => (
        <Fragment key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

function Disclosed({ notice }: { notice: Notice }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (notice.disclosed.length === 0) return <Text size="sm">{t('public.nothingListed')}</Text>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t('public.disclosedTitle')}>
      <Table withTableBorder miw={520} data-testid="disclosed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('public.category')}</Table.Th>
            <Table.Th>{t('public.range')}</Table.Th>
            <Table.Th ta="right">{t('public.records')}</Table.Th>
            <Table.Th>{t('public.result')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {notice.disclosed.map((entry) => (
            <Table.Tr key={entry.category}>
              <Table.Td>{t(`categories.${entry.category}`)}</Table.Td>
              <Table.Td>
                {entry.range ? t('public.periodRange', { from: format.day(entry.range.from), to: format.day(entry.range.to) }) : '—'}
              </Table.Td>
              <Table.Td ta="right">{format.number(entry.records)}</Table.Td>
              <Table.Td>{t(`outcomes.${entry.status}`, { defaultValue: entry.status })}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

function Removal({ removal }: { removal: NonNullable<Notice['removal']> }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <>
      <Facts
        items={[
          [t('public.action'), t(`public.removalActions.${removal.action}`)],
          ...(removal.action === 'restricted'
            ? ([
                [t('public.where'), removal.countries.length ? removal.countries.map(format.country).join(', ') : t('public.everywhere')],
              ] as const)
            : []),
          [t('public.content'), <span className="mono">{removal.content}</span>],
          [t('public.actedAt'), format.dateTime(removal.actedAt)],
          [t('public.reasons'), removal.statementOfReasons],
        ]}
      />
      <Text size="sm">{t('public.notAutomated')}</Text>
    </>
  );
}

function NoticeView({ notice }: { notice: Notice }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const process = notice.legalProcess;
  const who = {
    agency: notice.agency.name,
    country: format.country(notice.agency.jurisdiction),
    platform: notice.platform,
  };
  return (
    <Stack gap="md">
      <Text size="lg">{notice.purpose === 'removal' ? t('public.noticeRemoval', who) : t('public.noticeDisclosure', who)}</Text>
      <Facts
        items={[
          [t('public.noticeAccount'), <span className="mono">{notice.account}</span>],
          [t('public.receivedAt'), <time dateTime={notice.receivedAt}>{format.date(notice.receivedAt)}</time>],
          [t('public.notifiedAt'), <time dateTime={notice.notifiedAt}>{format.date(notice.notifiedAt)}</time>],
        ]}
      />
      <Section title={t('public.noticeWhoTitle')} id="notice-who">
        <Facts
          items={[
            [t('public.agency'), notice.agency.name],
            [t('public.country'), who.country],
            [t('public.requestKind'), t(`kinds.${notice.requestKind}`)],
            [t('public.legalProcess'), t(`instruments.${process.instrumentType}`)],
            ...(process.issuingAuthority ? ([[t('public.issuedBy'), process.issuingAuthority]] as const) : []),
            ...(process.reference ? ([[t('public.reference'), process.reference]] as const) : []),
            ...(process.issuedOn ? ([[t('public.issuedOn'), format.day(process.issuedOn)]] as const) : []),
          ]}
        />
      </Section>
      {notice.removal ? (
        <Section title={t('public.removalDoneTitle')} id="notice-removal">
          <Removal removal={notice.removal} />
        </Section>
      ) : (
        <Section title={t('public.disclosedTitle')} id="notice-disclosed">
          <Disclosed notice={notice} />
        </Section>
      )}
      <Section title={t('public.challengeTitle')} id="notice-challenge">
        <Text size="sm">{i18n.language === 'ko' ? notice.challenge.ko : notice.challenge.en}</Text>
        {notice.contact && (
          <Text size="sm">
            {t('public.contact')}: <Anchor href={`mailto:${notice.contact}`}>{notice.contact}</Anchor>
          </Text>
        )}
      </Section>
      <Text size="sm" c="dimmed">
        {t('public.noticePrivate')}
      </Text>
    </Stack>
  );
}

export function NoticePage() {
  const { t } = useTranslation();
  const { token } = useParams({ from: '/notice/$token' });
  const notice = useQuery({
    queryKey: ['notice', token],
    queryFn: () => unwrap(api.GET('/api/v1/notices/{token}', { params: { path: { token } } })),
  });
  const isInvalid = notice.error instanceof ApiError && notice.error.status === 404;
  return (
    <Stack maw={860} gap="md">
      <Title order={1}>{t('public.noticeTitle')}</Title>
      {notice.isPending ? (
        <Loading />
      ) : isInvalid ? (
        <Alert color="orange" title={t('public.noticeInvalidTitle')} role="alert" data-testid="notice-invalid">
          {t('public.noticeInvalid')}
        </Alert>
      ) : notice.isError ? (
        <ErrorState error={notice.error} onRetry={() => void notice.refetch()} />
      ) : (
        <NoticeView notice={notice.data} />
      )}
    </Stack>
  );
}
