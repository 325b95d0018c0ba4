/**
 * A draft request made of email, as the desk checks it: each value extracted with where it was read — the message
 * or a page of an attached document (a scan read by OCR says so, with its confidence) — shown in its words with the
 * value marked; and the draft's documents page by page, a page nobody could read marked for reading by hand.
 */
import { Anchor, Badge, Card, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { RequireSignIn } from '../../components/require-sign-in';
import { Empty, QueryView } from '../../components/states';

type Extracted = {
  value: unknown;
  confidence: number;
  place?: {
    document: { index: number; fileName: string; sha256: string } | null;
    page: number | null;
    before: string;
    text: string;
    after: string;
  } | null;
} | null;

const loadDraft = (reference: string) => unwrap(api.GET('/api/v1/intake/drafts/{reference}', { params: { path: { reference } } }));

const shown = (value: unknown): string =>
  value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value);

/** The words a value was read from, the value itself marked. */
function SourceText({ entry }: { entry: Extracted }) {
  const { t } = useTranslation();
  const source = entry?.place;
  if (!source)
    return (
      <Text size="xs" c="dimmed">
        {t('intake.noSource')}
      </Text>
    );
  const where = source.document
    ? t('intake.inDocument', { file: source.document.fileName, page: source.page ?? '—' })
    : t('intake.inMessage');
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {where}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="value-source">
        …{source.before}
        <mark>{source.text}</mark>
        {source.after}…
      </Text>
    </Stack>
  );
}

type DraftView = Awaited<ReturnType<typeof loadDraft>>;

function Draft({ view }: { view: DraftView }) {
  const { t } = useTranslation();
  const rows = Object.entries(view.fields).flatMap(([name, field]) => {
    const entries = (Array.isArray(field.extracted) ? field.extracted : [field.extracted]) as Extracted[];
    return entries
      .filter((entry): entry is NonNullable<Extracted> => entry !== null)
      .map((entry, index) => (
        <Table.Tr key={`${name}-${index}`}>
          <Table.Td>
            <Code>{name}</Code>
          </Table.Td>
          <Table.Td>{shown(entry.value)}</Table.Td>
          <Table.Td>{Math.round(entry.confidence * 100)}%</Table.Td>
          <Table.Td>
            <SourceText entry={entry} />
          </Table.Td>
        </Table.Tr>
      ));
  });
  return (
    <Stack>
      <Group>
        <Title order={2}>{view.draft.trackingNumber}</Title>
        <Badge variant="light">{t(`intake.statuses.${view.draft.status}`)}</Badge>
        {view.trust && <Badge color={view.trust.level === 'suspicious' ? 'red' : 'gray'}>{view.trust.level}</Badge>}
      </Group>
      <Card withBorder>
        <Title order={3} size="h4" mb="xs">
          {t('intake.documents')}
        </Title>
        {view.documents.length === 0 ? (
          <Empty>{t('intake.noDocuments')}</Empty>
        ) : (
          view.documents.map((document) => (
            <Stack key={`${document.messageId}-${document.index}`} gap={4} mb="sm">
              <Text fw={600}>
                {document.fileName} <Code>{document.sha256.slice(0, 16)}…</Code>
              </Text>
              <Group gap="xs">
                {document.pages.map((page) => (
                  <Badge
                    key={page.page}
                    color={page.needsManualReading ? 'orange' : page.source === 'ocr' ? 'blue' : 'green'}
                    variant="light"
                    title={page.note ?? undefined}
                  >
                    {t('intake.page', { page: page.page })}: {t(`intake.pageSources.${page.source}`)}
                    {page.confidence !== null ? ` ${Math.round(page.confidence * 100)}%` : ''}
                    {page.needsManualReading ? ` · ${t('intake.needsManualReading')}` : ''}
                  </Badge>
                ))}
              </Group>
              {document.note && (
                <Text size="xs" c="dimmed">
                  {document.note}
                </Text>
              )}
            </Stack>
          ))
        )}
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="xs">
          {t('intake.fields')}
        </Title>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('intake.field')}</Table.Th>
              <Table.Th>{t('intake.value')}</Table.Th>
              <Table.Th>{t('intake.confidence')}</Table.Th>
              <Table.Th>{t('intake.source')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{rows}</Table.Tbody>
        </Table>
      </Card>
    </Stack>
  );
}

export function IntakeDraftPage() {
  const { t } = useTranslation();
  const { reference } = useParams({ from: '/desk/intake/$reference' });
  const query = useQuery({ queryKey: ['intake-draft', reference], queryFn: () => loadDraft(reference) });
  return (
    <RequireSignIn side="desk">
      <Stack>
        <Anchor component={Link} to="/desk" size="sm">
          ← {t('desk.queueTitle')}
        </Anchor>
        <QueryView query={query}>{(view) => <Draft view={view} />}</QueryView>
      </Stack>
    </RequireSignIn>
  );
}
