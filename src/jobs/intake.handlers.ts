/** Email intake's jobs: read a stored message, acknowledge it, and mail a confirmed draft's sender. All are safe to run twice. */
import { acknowledgeIntakeMessage, type AcknowledgeDeps } from '../services/acknowledge-intake-message.ts';
import { mailDraftConfirmation, type MailDraftConfirmationDeps } from '../services/mail-draft-confirmation.ts';
import { processIntakeMessage, type ProcessIntakeMessageDeps } from '../services/process-intake-message.ts';
import type { JobHandler } from './job-runner.ts';

export type IntakeHandlerDeps = Omit<ProcessIntakeMessageDeps, 'store'> &
  Omit<AcknowledgeDeps, 'store'> & {
    readonly store: ProcessIntakeMessageDeps['store'] & AcknowledgeDeps['store'] & MailDraftConfirmationDeps['store'];
  };

export function intakeHandlers(deps: IntakeHandlerDeps): Record<string, JobHandler> {
  return {
    'intake.process': async (payload) => {
      if (typeof payload.messageId !== 'string') return;
      await processIntakeMessage(deps, { messageId: payload.messageId });
    },
    'intake.acknowledge': async (payload) => {
      if (typeof payload.messageId !== 'string') return;
      await acknowledgeIntakeMessage(deps, { messageId: payload.messageId });
    },
    'intake.confirmation_mail': async (payload) => {
      if (typeof payload.draftId !== 'string') return;
      await mailDraftConfirmation(deps, { draftId: payload.draftId });
    },
  };
}
