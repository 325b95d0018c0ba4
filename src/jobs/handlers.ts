/** Job handlers by topic. Each is safe to run twice: it checks the request's (or account's) state before acting. */
import type { Repositories, Transactor } from '../core/ports.ts';
import { runProduction, type RunProductionDeps } from '../services/run-production.ts';
import { sendConfirmation, type ConfirmationMailDeps } from '../services/register.ts';
import { verifyRequest, type VerifyRequestDeps } from '../services/verify-request.ts';
import { intakeHandlers, type IntakeHandlerDeps } from './intake.handlers.ts';
import type { JobHandler } from './job-runner.ts';

export function jobHandlers(
  deps: RunProductionDeps &
    Pick<VerifyRequestDeps, 'holdLimits'> &
    Pick<ConfirmationMailDeps, 'mailer' | 'confirmationHours' | 'secrets'> & { store: Transactor<Repositories> } & Omit<
      IntakeHandlerDeps,
      'store'
    >,
): Record<string, JobHandler> {
  return {
    'request.verify': async (payload) => {
      if (typeof payload.requestId !== 'string') return;
      await verifyRequest(deps, { requestId: payload.requestId });
    },
    'user.send_confirmation': async (payload) => {
      if (typeof payload.userId !== 'string') return;
      await sendConfirmation(deps, { userId: payload.userId });
    },
    'request.produce': async (payload) => {
      if (typeof payload.requestId !== 'string') return;
      await runProduction(deps, { requestId: payload.requestId });
    },
    ...intakeHandlers(deps),
  };
}
