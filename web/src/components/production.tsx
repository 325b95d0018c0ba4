/** The production of a request: its progress, what was found per target and category, the download and how to verify it. */
import { Alert, Badge, Button, Card, Code, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, getProduction } from '../api/client';
import { useFormat } from '../format';
import { ErrorState, Loading } from './states';

const PRODUCED_STATES = new Set(['producing', 'delivered', 'closed']);

export function VerifyHelp({ trackingNumber, fingerprint }: { trackingNumber: string; fingerprint: string | null }) {
  const { t } = useTranslation();
  const origin = window.location.origin;
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('request.verifyTitle')}
      </Title>
      <Text size="sm">{t('request.verifyIntro')}</Text>
      <pre className="commands" aria-label={t('request.verifyTitle')}>
        {[
          `# ${t('verify.unpack')}`,
          `mkdir package && tar -xf ${trackingNumber}-*.tar -C package && cd package/writ-production-*`,
          `# ${t('verify.hashes')}`,
          'sha256sum -c manifest-sha256.txt && sha256sum -c tagmanifest-sha256.txt',
          `# ${t('verify.signature')}`,
          'openssl pkeyutl -verify -pubin -inkey signing-key.pem -rawin \\',
          '  -in tagmanifest-sha256.txt -sigfile tagmanifest-sha256.txt.sig',
        ].join('\n')}
      </pre>
      <Text size="sm">{t('request.verifyWrit')}</Text>
      <pre className="commands">{`npx writ verify ${trackingNumber}-*.tar${fingerprint ? ` --fingerprint ${fingerprint}` : ''}`}</pre>
      <Text size="sm">{t('request.verifyKeys', { url: `${origin}/.well-known/writ/signing-key.pem` })}</Text>
    </Stack>
  );
}

export function ProductionPanel({
  reference,
  trackingNumber,
  state,
  canDownload,
}: {
  reference: string;
  trackingNumber: string;
  state: string;
  canDownload: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const production = useQuery({
    queryKey: ['request', reference, 'production'],
    queryFn: () => getProduction(reference),
    enabled: PRODUCED_STATES.has(state),
    refetchInterval: (query) => (query.state.data?.state === 'running' || state === 'producing' ? 1500 : false),
  });
  if (!PRODUCED_STATES.has(state)) return null;
  const running = state === 'producing' || production.data?.state === 'running';
  // Until the production's first report (or for a request still on its way to it), the bar only says it is working.
  const progress = production.data?.state === 'running' ? production.data.progress : null;
  const share = progress && progress.steps > 0 ? Math.round((progress.stepsDone / progress.steps) * 100) : undefined;
  return (
    <Card withBorder padding="md" aria-labelledby="production-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="production-title">
          {t('request.production')}
        </Title>
        {running && (
          <Stack gap={4} role="status" aria-live="polite">
            <Progress value={share ?? 100} animated striped aria-label={t('request.producing')} />
            <Text size="sm">{t('request.producing')}</Text>
            {progress && (
              <Text size="sm" c="dimmed">
                {t('request.productionProgress', {
                  done: format.number(progress.stepsDone),
                  steps: format.number(progress.steps),
                  records: format.number(progress.records),
                })}
              </Text>
            )}
          </Stack>
        )}
        {production.isPending && !running ? (
          <Loading />
        ) : production.isError ? (
          production.error instanceof ApiError && production.error.code === 'PRODUCTION_NOT_FOUND' ? null : (
            <ErrorState error={production.error} onRetry={() => void production.refetch()} />
          )
        ) : production.data ? (
          <>
            {production.data.state === 'failed' && <Alert color="orange">{t('request.productionFailed')}</Alert>}
            {production.data.state === 'completed' && (
              <>
                <Table withTableBorder striped>
                  <Table.Caption>{t('request.outcomes')}</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('request.targets')}</Table.Th>
                      <Table.Th>{t('request.categories')}</Table.Th>
                      <Table.Th>{t('desk.status')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {production.data.outcomes.map((outcome) => (
                      <Table.Tr key={`${outcome.targetId}/${outcome.category}`}>
                        <Table.Td className="mono">{outcome.target}</Table.Td>
                        <Table.Td>{t(`categories.${outcome.category}`)}</Table.Td>
                        <Table.Td>
                          <Badge variant="light" color={outcome.status === 'produced' ? 'green' : 'gray'}>
                            {t(`outcomes.${outcome.status}`)}
                          </Badge>{' '}
                          {outcome.status === 'produced' && (
                            <Text span size="xs">
                              {t('request.records', { n: format.number(outcome.records) })}
                            </Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                <Stack gap={2}>
                  {production.data.tagManifestSha256 && (
                    <Text size="xs">
                      {t('request.packageHash')}: <Code className="mono">{production.data.tagManifestSha256}</Code>
                    </Text>
                  )}
                  {production.data.keyFingerprint && (
                    <Text size="xs">
                      {t('request.keyFingerprint')}: <Code className="mono">{production.data.keyFingerprint}</Code>
                    </Text>
                  )}
                  {production.data.payloadBytes !== null && (
                    <Text size="xs">
                      {t('request.payloadBytes')}: {format.bytes(production.data.payloadBytes)}
                    </Text>
                  )}
                </Stack>
                {canDownload && (
                  <Group>
                    <Button component="a" href={`/api/v1/requests/${encodeURIComponent(trackingNumber)}/production/download`} download>
                      {t('request.download')}
                    </Button>
                    {production.data.availableUntil && (
                      <Text size="sm" c="dimmed">
                        {t('request.availableUntil', { date: format.dateTime(production.data.availableUntil) })}
                      </Text>
                    )}
                  </Group>
                )}
                <VerifyHelp trackingNumber={trackingNumber} fingerprint={production.data.keyFingerprint} />
              </>
            )}
          </>
        ) : null}
      </Stack>
    </Card>
  );
}
