/**
 * The public pages: the transparency report and the notice a user opens from their link. Their data comes from APIs
 * that are not part of this installation yet; until then each page says so plainly.
 */
import { Alert, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function TransparencyPage() {
  const { t } = useTranslation();
  return (
    <Stack maw={760}>
      <Title order={1}>{t('public.transparencyTitle')}</Title>
      <Text>{t('public.transparencyIntro')}</Text>
      <Alert color="gray" title={t('app.notAvailableYet')} role="status">
        {t('public.transparencyUnavailable')}
      </Alert>
    </Stack>
  );
}

export function NoticePage() {
  const { t } = useTranslation();
  return (
    <Stack maw={760}>
      <Title order={1}>{t('public.noticeTitle')}</Title>
      <Text>{t('public.noticeIntro')}</Text>
      <Alert color="gray" title={t('app.notAvailableYet')} role="status">
        {t('public.noticeUnavailable')}
      </Alert>
    </Stack>
  );
}
