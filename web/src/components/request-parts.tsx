/** Pieces of a request both sides see: its state, its findings, its timeline and its facts. */
import { Anchor, Badge, Card, Group, List, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Finding, RequestView, Verdict } from '../api/client';
import { useFormat } from '../format';
import { Empty } from './states';

const STATE_COLOURS: Record<string, string> = {
  received: 'gray',
  verifying: 'yellow',
  in_review: 'blue',
  needs_info: 'orange',
  approved: 'teal',
  partially_approved: 'teal',
  rejected: 'red',
  producing: 'indigo',
  delivered: 'green',
  closed: 'gray',
  withdrawn: 'gray',
};

export function StateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATE_COLOURS[state] ?? 'gray'} variant="light">
      {t(`states.${state}`, { defaultValue: state })}
    </Badge>
  );
}

export function KindBadge({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={kind === 'emergency' ? 'red' : 'writ'} variant={kind === 'emergency' ? 'filled' : 'outline'}>
      {t(`kinds.${kind}`, { defaultValue: kind })}
    </Badge>
  );
}

const SEVERITY_COLOURS = { block: 'red', needs_info: 'orange', warn: 'yellow', info: 'gray' } as const;

/** Findings with their severity, the message in the chosen language, and the source they cite. */
export function FindingsList({ findings, empty }: { findings: readonly Finding[]; empty: string }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  if (findings.length === 0) return <Text c="dimmed">{empty}</Text>;
  return (
    <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {findings.map((finding) => (
        <Card key={`${finding.pack}/${finding.ruleId}`} component="li" withBorder padding="sm" data-severity={finding.severity}>
          <Group gap="xs" mb={4} wrap="wrap">
            <Badge color={SEVERITY_COLOURS[finding.severity]} variant="filled">
              {t(`severity.${finding.severity}`)}
            </Badge>
            {finding.categories.map((category) => (
              <Badge key={category} variant="outline" color="gray" size="sm">
                {t(`categories.${category}`)}
              </Badge>
            ))}
            {finding.due && (
              <Text size="xs" c="dimmed">
                {format.dateTime(finding.due)}
              </Text>
            )}
          </Group>
          <Text size="sm">{i18n.language === 'ko' ? finding.message.ko : finding.message.en}</Text>
          <Text size="xs" c="dimmed" mt={4}>
            {finding.source.url ? (
              <Anchor href={finding.source.url} target="_blank" rel="noreferrer noopener" size="xs">
                {finding.source.cite}
              </Anchor>
            ) : (
              finding.source.cite
            )}{' '}
            · {finding.pack}
          </Text>
        </Card>
      ))}
    </Stack>
  );
}

const OUTCOME_COLOURS = {
  allow: 'green',
  block: 'red',
  needs_info: 'orange',
  route_elsewhere: 'grape',
  hold_for_counsel: 'yellow',
} as const;
const VERDICT_ROWS = 100;

/** The verdict for each target × category, with the rule that decided it and the source it cites. */
export function VerdictTable({ verdicts }: { verdicts: readonly Verdict[] }) {
  const { t, i18n } = useTranslation();
  if (verdicts.length === 0) return <Text c="dimmed">{t('verdicts.none')}</Text>;
  const shown = verdicts.slice(0, VERDICT_ROWS);
  return (
    <Stack gap="xs">
      <Table striped withTableBorder fz="sm" data-testid="verdicts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('verdicts.target')}</Table.Th>
            <Table.Th>{t('verdicts.category')}</Table.Th>
            <Table.Th>{t('verdicts.outcome')}</Table.Th>
            <Table.Th>{t('verdicts.basis')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((verdict) => (
            <Table.Tr key={`${verdict.targetIndex}/${verdict.category}`} data-outcome={verdict.outcome}>
              <Table.Td>{verdict.target}</Table.Td>
              <Table.Td>{t(`categories.${verdict.category}`)}</Table.Td>
              <Table.Td>
                <Badge color={OUTCOME_COLOURS[verdict.outcome]} variant="light">
                  {t(`verdicts.${verdict.outcome}`)}
                </Badge>
                {verdict.channel && (
                  <Text size="xs" c="dimmed">
                    {t(`verdicts.channels.${verdict.channel}`)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {verdict.basis.map((reason) => (
                  <Text key={reason.ruleId} size="xs">
                    {i18n.language === 'ko' ? reason.message.ko : reason.message.en}{' '}
                    <Text span c="dimmed" size="xs">
                      ({reason.source.cite})
                    </Text>
                  </Text>
                ))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {verdicts.length > VERDICT_ROWS && (
        <Text size="xs" c="dimmed">
          {t('verdicts.more', { count: verdicts.length - VERDICT_ROWS })}
        </Text>
      )}
    </Stack>
  );
}

type TimelineEntry = RequestView['timeline'][number];

export function eventText(entry: TimelineEntry, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (entry.type === 'request.transitioned') {
    const from = String(entry.data.from ?? '');
    const to = String(entry.data.to ?? '');
    return t('events.request.transitioned', {
      from: t(`states.${from}`, { defaultValue: from }),
      to: t(`states.${to}`, { defaultValue: to }),
    });
  }
  if (entry.type === 'request.approval_recorded') {
    return t('events.request.approval_recorded', { step: Number(entry.data.step ?? 1), defaultValue: entry.type });
  }
  return t(`events.${entry.type}`, { defaultValue: entry.type });
}

export function RequestTimeline({ entries }: { entries: readonly TimelineEntry[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (entries.length === 0) return <Empty>{t('request.emptyTimeline')}</Empty>;
  return (
    <Timeline active={entries.length - 1} bulletSize={14} lineWidth={2}>
      {entries.map((entry) => (
        <Timeline.Item key={entry.id} title={<Text size="sm">{eventText(entry, t)}</Text>}>
          <Text size="xs" c="dimmed">
            <time dateTime={entry.occurredAt}>{format.dateTime(entry.occurredAt)}</time> · {t(`sides.${entry.side}`)}
          </Text>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

/** The request as it was received: legal process, targets, categories, dates, orders. */
export function RequestFacts({ view }: { view: RequestView }) {
  const { t } = useTranslation();
  const format = useFormat();
  const request = view.request;
  const rows: Array<[string, React.ReactNode]> = [
    [t('request.agency'), request.agencyName],
    [t('request.jurisdiction'), request.jurisdiction],
    [
      t('request.legalProcess'),
      [
        t(`instruments.${request.legalProcess.instrumentType}`),
        request.legalProcess.issuingAuthority,
        request.legalProcess.reference,
        request.legalProcess.issuedOn ? format.day(request.legalProcess.issuedOn) : null,
      ]
        .filter(Boolean)
        .join(' · '),
    ],
    [t('request.categories'), request.categories.map((category) => t(`categories.${category}`)).join(', ')],
    [t('request.dateRange'), request.dateRange ? `${format.day(request.dateRange.from)} – ${format.day(request.dateRange.to)}` : '—'],
    [
      t('request.nonDisclosure'),
      request.nonDisclosure.ordered
        ? request.nonDisclosure.until
          ? t('request.nonDisclosureUntil', { date: format.day(request.nonDisclosure.until) })
          : t('request.nonDisclosureOpen')
        : t('request.notOrdered'),
    ],
    [t('request.received'), format.dateTime(request.receivedAt)],
    ...(request.deadline ? ([[t('request.deadline'), format.dateTime(request.deadline)]] as Array<[string, string]>) : []),
    ...(request.caseReference ? ([[t('requests.caseReference'), request.caseReference]] as Array<[string, string]>) : []),
  ];
  return (
    <Stack gap="sm">
      <Table variant="vertical" layout="fixed" withTableBorder>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={{ base: 120, sm: 180 }}>{label}</Table.Th>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {request.emergency && (
        <Card withBorder bg="red.0" padding="sm">
          <Text fw={600} size="sm">
            {t('request.emergency')}
          </Text>
          <Text size="sm">{request.emergency.dangerDescription}</Text>
        </Card>
      )}
      {request.summary && (
        <div>
          <Title order={3} size="h5">
            {t('request.summary')}
          </Title>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {request.summary}
          </Text>
        </div>
      )}
      <div>
        <Title order={3} size="h5">
          {t('request.targets')}
        </Title>
        <List size="sm" spacing={2}>
          {view.targets.map((target) => (
            <List.Item key={target.id}>
              <Badge size="xs" variant="light" mr={6}>
                {t(`identifierKinds.${target.kind}`)}
              </Badge>
              <span className="mono">{target.value}</span>
            </List.Item>
          ))}
        </List>
      </div>
    </Stack>
  );
}
