/** The policy, rule packs, connector and limits the desk works with — read only (set in files and the environment). */
import { Badge, Card, Code, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { RequireSignIn } from '../../components/require-sign-in';
import { api, unwrap } from '../../api/client';
import { QueryView } from '../../components/states';
import { useFormat } from '../../format';

export function SettingsPage() {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => unwrap(api.GET('/api/v1/settings')) });
  const local = (text: { en: string; ko: string }) => (i18n.language === 'ko' ? text.ko : text.en);
  return (
    <Stack>
      <div>
        <Title order={1}>{t('desk.settingsTitle')}</Title>
        <Text c="dimmed" size="sm">
          {t('desk.settingsIntro')}
        </Text>
      </div>
      <QueryView query={settings}>
        {(data) => (
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder padding="md">
              <Stack gap="xs">
                <Title order={2} size="h4">
                  {t('desk.policy')}
                </Title>
                <Text fw={600}>{local(data.policy.name)}</Text>
                <Text size="sm">
                  {t('desk.home')}: {data.policy.home.join(', ')} · {t('desk.rules', { n: format.number(data.policy.rules) })}
                </Text>
                <Title order={3} size="h6">
                  {t('desk.holdsData')}
                </Title>
                <Table withTableBorder>
                  <Table.Tbody>
                    {data.policy.holds.map((hold) => (
                      <Table.Tr key={hold.category}>
                        <Table.Th>{t(`categories.${hold.category}`)}</Table.Th>
                        <Table.Td>
                          {!hold.held
                            ? t('desk.notHeld')
                            : hold.days
                              ? t('desk.heldFor', { days: format.number(hold.days) })
                              : t('desk.heldForever')}
                          {hold.note && (
                            <Text size="xs" c="dimmed">
                              {local(hold.note)}
                            </Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                {data.policy.neverProduces.length > 0 && (
                  <Text size="sm">
                    {t('desk.neverProduces')}: {data.policy.neverProduces.map((category) => t(`categories.${category}`)).join(', ')}
                  </Text>
                )}
              </Stack>
            </Card>
            <Stack>
              <Card withBorder padding="md">
                <Title order={2} size="h4">
                  {t('desk.connector')}
                </Title>
                <Code fz="md">{data.connector}</Code>
              </Card>
              <Card withBorder padding="md">
                <Title order={2} size="h4" mb="xs">
                  {t('desk.packs')}
                </Title>
                <Stack gap={4}>
                  {data.packs.map((pack) => (
                    <Group key={pack.pack} gap="xs">
                      <Badge variant="light">{pack.pack}</Badge>
                      <Text size="sm">{local(pack.name)}</Text>
                      <Text size="xs" c="dimmed">
                        {t('desk.rules', { n: format.number(pack.rules) })}
                      </Text>
                    </Group>
                  ))}
                </Stack>
              </Card>
              <Card withBorder padding="md">
                <Title order={2} size="h4" mb="xs">
                  {t('desk.limits')}
                </Title>
                <Table withTableBorder>
                  <Table.Tbody>
                    {Object.entries(data.limits).map(([name, value]) => (
                      <Table.Tr key={name}>
                        <Table.Th>
                          <Code>{name}</Code>
                        </Table.Th>
                        <Table.Td>{typeof value === 'boolean' ? (value ? t('app.yes') : t('app.no')) : format.number(value)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Card>
            </Stack>
          </SimpleGrid>
        )}
      </QueryView>
    </Stack>
  );
}

export function SettingsPageRoute() {
  return (
    <RequireSignIn side="desk">
      <SettingsPage />
    </RequireSignIn>
  );
}
