/**
 * Who may register: a person whose address is at one of an agency's official domains in the directory, while that
 * agency is not suspended or blocklisted. A matching domain proves nothing by itself; the person must then prove
 * control of the address, and the agency's admin or the platform must approve them before they can act.
 */
import { z } from 'zod';
import type { OrganisationRecord } from './model.ts';

export const registerInputSchema = z.strictObject({
  email: z
    .email()
    .max(320)
    .transform((email) => email.toLowerCase()),
  displayName: z.string().trim().min(1).max(200),
  // NIST SP 800-63B: length and a breached-password check, not composition rules.
  password: z.string().min(12).max(1024),
});

export const confirmRegistrationInputSchema = z.strictObject({
  code: z.string().min(1).max(200).describe('The one-time code sent to the address.'),
});

/** The agency an address belongs to, by exact domain (no subdomains, no lookalikes), if it may register people. */
export function agencyForAddress(email: string, agencies: readonly OrganisationRecord[]): OrganisationRecord | undefined {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return agencies.find(
    (agency) =>
      agency.kind === 'agency' &&
      !['suspended', 'blocklisted'].includes(agency.verificationStatus) &&
      agency.emailDomains.some((official) => official.toLowerCase() === domain),
  );
}

/** The mail that carries the code. It names no agency and no request, only what to do with the code. */
export function confirmationMail(input: { displayName: string; code: string; validHours: number; platform: string }) {
  return {
    subject: 'Confirm your address for Writ',
    text: [
      `Hello ${input.displayName},`,
      '',
      `Someone, probably you, registered this address to send requests to ${input.platform} through Writ.`,
      `To confirm it, enter this code in Writ (or send it as {"code": "..."} to POST /api/v1/auth/register/confirm):`,
      '',
      `    ${input.code}`,
      '',
      `The code works once, for ${input.validHours} hours. After you confirm, log in, enrol an authenticator app,`,
      "and wait for your agency's admin or the platform to approve your account.",
      '',
      'If you did not register, ignore this mail: nothing happens without the code.',
    ].join('\n'),
  };
}
