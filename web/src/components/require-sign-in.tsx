/** Shows a page to a signed-in person of the right side; sends anyone else to sign in (and back afterwards). */
import { Navigate } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { homeOf, isDesk, useMe } from '../session';
import { Loading } from './states';

export function RequireSignIn({ side, children }: { side: 'agency' | 'desk'; children: ReactNode }) {
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (!me.data) return <Navigate to="/login" search={{ redirect: window.location.pathname }} />;
  if ((side === 'desk') !== isDesk(me.data)) return <Navigate to={homeOf(me.data)} />;
  return <>{children}</>;
}
