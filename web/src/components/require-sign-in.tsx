/** Shows a page to a signed-in person of the right side; sends anyone else to sign in (and back afterwards). */
import { Alert } from '@mantine/core';
import { Navigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';
import { homeOf, isDesk, useMe } from '../session';
import { Loading } from './states';

export function RequireSignIn({ side, children }: { side: 'agency' | 'desk'; children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (!me.data) return <Navigate to="/login" search={{ redirect: window.location.pathname }} />;
  if ((side === 'desk') !== isDesk(me.data)) return <Navigate to={homeOf(me.data)} />;
  // Signed in but not yet able to act: a password-only session enrols a second factor; a new officer waits.
  if (me.data.status === 'pending')
    return (
      <Alert color="yellow" role="status" my="lg">
        {t('enrol.pending')}
      </Alert>
    );
  return <>{children}</>;
}
