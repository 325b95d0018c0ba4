/**
 * The public transparency report: a published period (a half-year or a month, by id), its figures, charts that carry
 * their numbers as text, the table per country and kind, the Korean categories, downloads, and the audit log's signed
 * tree head. No sign-in. Small counts come as the bands the platform publishes, small countries and kinds as "other",
 * withheld figures as "—": never more than the API gives.
 */
import { Accordion, Anchor, Card, Group, NativeSelect, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap, type paths } from '../../api/client';
import { BarChart, type Count } from '../../components/bar-chart';
import { Empty, QueryView } from '../../components/states';
import { useFormat } from '../../format';

type Report = paths['/api/v1/transparency/report']['get']['responses'][200]['content']['application/json'];
type Row = Report['totals'];
type TreeHead = NonNullable<Report['treeHead']>;

const HALF = /^(\d{4})-(H[12])$/;
const OTHER = 'other';

/** The figures shown for the whole period, in the order a reader asks about them. */
const FIGURES = [
  'requests',
  'accountsSpecified',
  'withSomeData',
  'rejected',
  'narrowed',
  'emergency',
  'preservation',
  'removalOrders',
  'nonDisclosure',
  'usersNotified',
  'refusedAsSuspicious',
  'withdrawn',
  'pending',
] as const;
/** The columns of the table per country and kind. */
const COLUMNS = [
  'requests',
  'accountsSpecified',
  'withSomeData',
  'rejected',
  'narrowed',
  'nonDisclosure',
  'usersNotified',
  'pending',
] as const;

const isZero = (count: Count) => count === 0;
const isBanded = (count: Count) => count !== null && typeof count !== 'number';
const isWithheld = (count: Count) => count === null;

/** A period's name: "January to June 2026" for 2026-H1, "May 2026" for 2026-05. */
function usePeriodLabel() {
  const { t } = useTranslation();
  const format = useFormat();
  return (id: string) => {
    const match = HALF.exec(id);
    return match ? t(`public.half.${match[2] as 'H1' | 'H2'}`, { year: match[1] }) : format.month(id);
  };
}

/** A row's country, or "other countries" for those merged because each had too few requests to show alone. */
function useCountryName() {
  const { t } = useTranslation();
  const format = useFormat();
  return (code: string) => (code === OTHER ? t('public.otherCountries') : format.country(code));
}

function Figures({ totals }: { totals: Row }) {
  const { t } = useTranslation();
  const format = useFormat();
  const shares: Partial<Record<(typeof FIGURES)[number], number | null>> = {
    withSomeData: totals.withSomeDataShare,
    nonDisclosure: totals.nonDisclosureShare,
  };
  return (
    <dl className="figures">
      {FIGURES.map((figure) => {
        const share = shares[figure];
        return (
          <div key={figure} className="figure" data-figure={figure}>
            <dt>{t(`public.figures.${figure}`)}</dt>
            <dd>
              {format.count(totals[figure])}
              {share != null && (
                <Text span display="block" size="xs" c="dimmed" fw={400}>
                  {t('public.shareOfRequests', { share: format.percent(share) })}
                </Text>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

function Charts({ report }: { report: Report }) {
  const { t } = useTranslation();
  const format = useFormat();
  const countryName = useCountryName();
  const { series, totals } = report;
  const banded = [...series.byOutcome, ...series.byCountry, ...series.overTime].some((entry) => isBanded(entry.requests));
  const note = banded ? t('public.chartBand') : undefined;
  const removal = totals.removalActions;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" verticalSpacing="lg">
      <BarChart
        title={t('public.byOutcome')}
        note={note}
        bars={series.byOutcome.map((entry) => ({
          key: entry.outcome,
          label: t(`public.outcomes.${entry.outcome}`),
          value: entry.requests,
        }))}
      />
      <BarChart
        title={t('public.byCountry')}
        note={note}
        bars={series.byCountry.map((entry) => ({ key: entry.country, label: countryName(entry.country), value: entry.requests }))}
      />
      <BarChart
        title={t('public.overTime')}
        note={note}
        bars={series.overTime.map((entry) => ({ key: entry.month, label: format.month(entry.month), value: entry.requests }))}
      />
      {!isZero(totals.removalOrders) && (
        <div>
          <BarChart
            title={t('public.removalTitle')}
            bars={(['removed', 'restricted', 'kept'] as const).map((action) => ({
              key: action,
              label: t(`public.removalActions.${action}`),
              value: removal[action],
            }))}
          />
          <Text size="sm" mt={4}>
            {t('public.itemsActedOn', { count: format.count(removal.items) })}
          </Text>
        </div>
      )}
    </SimpleGrid>
  );
}

function CountryTable({ report }: { report: Report }) {
  const { t } = useTranslation();
  const format = useFormat();
  const countryName = useCountryName();
  const cells = (row: Row) => COLUMNS.map((column) => <Table.Td key={column}>{format.count(row[column])}</Table.Td>);
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t('public.tableTitle')}>
      <Table withTableBorder striped miw={760} ta="right">
        <Table.Thead>
          <Table.Tr>
            <Table.Th ta="left">{t('public.country')}</Table.Th>
            <Table.Th ta="left">{t('public.kind')}</Table.Th>
            {COLUMNS.map((column) => (
              <Table.Th key={column}>{t(`public.figures.${column}`)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.rows.map((row) => (
            <Table.Tr key={`${row.country}-${row.kind}`}>
              <Table.Td ta="left">{countryName(row.country)}</Table.Td>
              <Table.Td ta="left">
                {row.kind === OTHER ? t('public.otherKinds') : t(`kinds.${row.kind}`, { defaultValue: row.kind })}
              </Table.Td>
              {cells(row)}
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr fw={700}>
            <Table.Td ta="left">{t('public.allCountries')}</Table.Td>
            <Table.Td ta="left">{t('public.allKinds')}</Table.Td>
            {cells(report.totals)}
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </div>
  );
}

function KoreaTable({ report }: { report: Report }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        {t('public.koreaTitle')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('public.koreaIntro')}
      </Text>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={t('public.koreaTitle')}>
        <Table withTableBorder miw={560}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('public.koreaCategory')}</Table.Th>
              <Table.Th ta="right">{t('public.koreaRequests')}</Table.Th>
              <Table.Th ta="right">{t('public.koreaProcessed')}</Table.Th>
              <Table.Th ta="right">{t('public.koreaAccounts')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.korea.map((row) => (
              <Table.Tr key={row.category}>
                <Table.Td>{i18n.language === 'ko' ? row.ko : `${row.en} (${row.ko})`}</Table.Td>
                <Table.Td ta="right">{format.count(row.requests)}</Table.Td>
                <Table.Td ta="right">{format.count(row.processed)}</Table.Td>
                <Table.Td ta="right">{format.count(row.accounts)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </Stack>
  );
}

function Definitions() {
  const { t } = useTranslation();
  const terms = ['country', ...FIGURES] as const;
  return (
    <Accordion variant="contained">
      <Accordion.Item value="definitions">
        <Accordion.Control>{t('public.definitionsTitle')}</Accordion.Control>
        <Accordion.Panel>
          <dl className="facts">
            {terms.map((term) => (
              <Fragment key={term}>
                <dt>{term === 'country' ? t('public.country') : t(`public.figures.${term}`)}</dt>
                <dd>{t(`public.definitions.${term}`)}</dd>
              </Fragment>
            ))}
          </dl>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}

function Downloads({ period }: { period: string }) {
  const { t } = useTranslation();
  const query = `?period=${encodeURIComponent(period)}`;
  const links = [
    { href: `/api/v1/transparency/report.csv${query}`, label: t('public.downloadCsv') },
    { href: `/api/v1/transparency/report.pdf${query}`, label: t('public.downloadPdf') },
    { href: `/api/v1/transparency/report${query}`, label: t('public.downloadJson') },
  ];
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        {t('public.downloadsTitle')}
      </Title>
      <Group gap="lg">
        {links.map((link) => (
          <Anchor key={link.href} href={link.href} download>
            {link.label}
          </Anchor>
        ))}
      </Group>
    </Stack>
  );
}

function TreeHeadCard({ reportHead }: { reportHead: TreeHead | null | undefined }) {
  const { t } = useTranslation();
  const format = useFormat();
  const latest = useQuery({
    queryKey: ['audit', 'tree-head', 'latest'],
    // No head yet is an answer (404), not a failure.
    queryFn: () =>
      unwrap(api.GET('/api/v1/audit/tree-heads/latest')).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
  });
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="tree-head-title">
      <Stack gap="xs">
        <Title order={2} size="h3" id="tree-head-title">
          {t('public.treeHeadTitle')}
        </Title>
        <Text size="sm">{t('public.treeHeadExplain')}</Text>
        <QueryView query={latest}>
          {(head) =>
            head ? (
              <dl className="facts" data-testid="tree-head">
                <dt>{t('public.treeSize')}</dt>
                <dd>{format.number(head.treeSize)}</dd>
                <dt>{t('public.rootHash')}</dt>
                <dd className="mono">{head.rootHash}</dd>
                <dt>{t('public.signedAt')}</dt>
                <dd>
                  <time dateTime={head.signedAt}>{format.dateTime(head.signedAt)}</time>
                </dd>
                <dt>{t('public.keyFingerprint')}</dt>
                <dd className="mono">{head.keyFingerprint}</dd>
              </dl>
            ) : (
              <Text size="sm" c="dimmed">
                {t('public.noTreeHead')}
              </Text>
            )
          }
        </QueryView>
        {reportHead && (
          <Text size="sm">
            {t('public.reportTreeHead', { size: format.number(reportHead.treeSize), time: format.dateTime(reportHead.signedAt) })}
          </Text>
        )}
        <Anchor href="/api/v1/audit/tree-heads/latest" size="sm">
          {t('public.treeHeadJson')}
        </Anchor>
      </Stack>
    </Card>
  );
}

function ReportView({ period }: { period: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const report = useQuery({
    queryKey: ['transparency', 'report', period],
    queryFn: () => unwrap(api.GET('/api/v1/transparency/report', { params: { query: { period } } })),
  });
  return (
    <>
      <QueryView query={report}>
        {(data) => {
          // The period's end is exclusive: the last day shown is the day before it.
          const lastDay = new Date(Date.parse(data.period.to) - 1).toISOString();
          return (
            <Stack gap="xl">
              <Text size="sm" c="dimmed">
                {t('public.periodRange', { from: format.day(data.period.from), to: format.day(lastDay) })} ·{' '}
                {t('public.computedAt', { time: format.dateTime(data.computedAt) })}
              </Text>
              {isZero(data.totals.requests) ? (
                <Empty>{t('public.noRequestsInPeriod')}</Empty>
              ) : (
                <>
                  <Stack gap="sm" component="section" aria-labelledby="figures-title">
                    <Title order={2} size="h3" id="figures-title">
                      {t('public.figuresTitle')}
                    </Title>
                    <Figures totals={data.totals} />
                    {data.banding.below > 1 && (
                      <Text size="sm" c="dimmed">
                        {t('public.banding', { max: format.number(data.banding.below - 1) })}{' '}
                        {t('public.withheld', { threshold: format.number(data.banding.below) })}
                      </Text>
                    )}
                  </Stack>
                  <Charts report={data} />
                  <Stack gap="xs" component="section" aria-labelledby="table-title">
                    <Title order={2} size="h3" id="table-title">
                      {t('public.tableTitle')}
                    </Title>
                    <CountryTable report={data} />
                  </Stack>
                  {data.countries.some((row) => row.country === 'KR') && !isWithheld(data.korea[0]?.requests ?? null) && (
                    <KoreaTable report={data} />
                  )}
                  <Definitions />
                  <Downloads period={period} />
                </>
              )}
            </Stack>
          );
        }}
      </QueryView>
      <TreeHeadCard reportHead={report.data?.treeHead} />
    </>
  );
}

export function TransparencyPage() {
  const { t } = useTranslation();
  const periodLabel = usePeriodLabel();
  const search = useSearch({ from: '/transparency' });
  const navigate = useNavigate({ from: '/transparency' });
  const periods = useQuery({
    queryKey: ['transparency', 'periods'],
    queryFn: () => unwrap(api.GET('/api/v1/transparency/periods')),
  });
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t('public.transparencyTitle')}</Title>
        <Text>{t('public.transparencyIntro')}</Text>
      </div>
      <QueryView query={periods}>
        {(data) => {
          const period = search.period ?? data.halfYears.at(-1) ?? data.months.at(-1);
          if (!period) {
            return (
              <>
                <Empty>{t('public.noPeriodYet')}</Empty>
                <TreeHeadCard reportHead={undefined} />
              </>
            );
          }
          // Newest first, half-years then months; a period asked for by its address stays choosable.
          const halfYears = [...new Set([...data.halfYears, ...(HALF.test(period) ? [period] : [])])].sort().reverse();
          const months = [...new Set([...data.months, ...(HALF.test(period) ? [] : [period])])].sort().reverse();
          return (
            <>
              <NativeSelect
                label={t('public.period')}
                value={period}
                onChange={(event) => void navigate({ search: { period: event.currentTarget.value } })}
                data={[
                  { group: t('public.halfYears'), items: halfYears.map((value) => ({ value, label: periodLabel(value) })) },
                  { group: t('public.months'), items: months.map((value) => ({ value, label: periodLabel(value) })) },
                ].filter((group) => group.items.length > 0)}
                maw={320}
              />
              <Text size="sm" c="dimmed">
                {t('public.publishedPeriods')}
              </Text>
              <ReportView period={period} />
            </>
          );
        }}
      </QueryView>
    </Stack>
  );
}
