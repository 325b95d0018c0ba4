/** The caller's own agency, and the age recipient its packages may be encrypted to. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AGENCY_STATUSES, directoryEntryInputSchema, encryptionKeyInputSchema } from '../../core/schemas.ts';
import { getAgency, listAgencies, updateAgency } from '../../services/agency-directory.ts';
import { getOwnAgency, setAgencyEncryptionKey } from '../../services/agency-encryption-key.ts';
import { readSettings } from '../../services/read-settings.ts';
import { DATA_CATEGORIES } from '../../core/request.ts';
import type { OrganisationRecord } from '../../core/model.ts';
import type { AppContext } from '../context.ts';
import { actor } from '../http.ts';
import { problemSchema } from '../responses.ts';

const agencySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  jurisdiction: z.string().nullable(),
  verificationStatus: z.string(),
  ageRecipient: z.string().nullable().describe('The age X25519 recipient packages are encrypted to on request, or null.'),
});
const directoryAgencySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  jurisdiction: z.string().nullable(),
  emailDomains: z.array(z.string()).readonly(),
  verificationStatus: z.enum(AGENCY_STATUSES),
  verificationPhone: z.string().nullable().describe('The number the desk calls to confirm a request (E.164).'),
  verificationPhoneSource: z.string().nullable().describe('Where that number was taken from.'),
});
const directoryEntrySchema = z.object({
  agency: directoryAgencySchema,
  history: z
    .array(z.object({ from: z.string().nullable(), to: z.string(), reason: z.string(), changedBy: z.uuid(), changedAt: z.string() }))
    .readonly(),
});
const bilingual = z.object({ en: z.string(), ko: z.string() });
const idParams = z.object({ id: z.string().max(64).describe('The agency id.') });
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 422: problemSchema };

const directoryView = (agency: OrganisationRecord) => ({
  id: agency.id,
  name: agency.name,
  jurisdiction: agency.jurisdiction,
  emailDomains: agency.emailDomains,
  verificationStatus: agency.verificationStatus as (typeof AGENCY_STATUSES)[number],
  verificationPhone: agency.verificationPhone,
  verificationPhoneSource: agency.verificationPhoneSource,
});

export const agencyRoutes =
  (context: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/agency',
      {
        config: { permission: 'agency.own' },
        schema: { tags: ['agency'], summary: 'Officers and agency admins: their own agency.', response: { 200: agencySchema, ...errors } },
      },
      async (request) => getOwnAgency(context, actor(request)),
    );

    app.put(
      '/agency/encryption-key',
      {
        config: { permission: 'agency.encryption_key' },
        schema: {
          tags: ['agency'],
          summary:
            'Register (or, with null, remove) the age X25519 recipient — the public key age-keygen prints — that packages may be encrypted to. Officers and agency admins.',
          body: encryptionKeyInputSchema,
          response: { 200: agencySchema, ...errors },
        },
      },
      async (request) => setAgencyEncryptionKey(context, actor(request), request.body),
    );

    const config = context.config;
    const settings = {
      review: context.review,
      connectorName: context.connector.name,
      limits: {
        requireSecondFactor: config.WRIT_REQUIRE_MFA,
        sessionHours: config.WRIT_SESSION_HOURS,
        sessionIdleMinutes: config.WRIT_SESSION_IDLE_MINUTES,
        holdNewAccountDays: config.WRIT_HOLD_NEW_ACCOUNT_DAYS,
        holdBurstPerHour: config.WRIT_HOLD_BURST_PER_HOUR,
        holdNewNetworkDays: config.WRIT_HOLD_NEW_NETWORK_DAYS,
        submissionsPerHour: config.WRIT_SUBMISSIONS_PER_HOUR,
        emergencyFollowUpDays: config.WRIT_EMERGENCY_FOLLOW_UP_DAYS,
        productionDays: config.WRIT_PRODUCTION_DAYS,
        maxUploadBytes: config.WRIT_MAX_UPLOAD_BYTES,
      },
    };
    app.get(
      '/settings',
      {
        config: { permission: 'settings.read' },
        schema: {
          tags: ['directory'],
          summary:
            'Desk: the platform policy, the rule packs, the connector and the limits in force — read only; they are set in files and the environment at start (docs/configuration.md).',
          response: {
            200: z.object({
              connector: z.string(),
              policy: z.object({
                name: bilingual,
                home: z.array(z.string()).readonly(),
                holds: z
                  .array(
                    z.object({
                      category: z.enum(DATA_CATEGORIES),
                      held: z.boolean(),
                      days: z.number().nullable(),
                      note: bilingual.nullable(),
                    }),
                  )
                  .readonly(),
                neverProduces: z.array(z.enum(DATA_CATEGORIES)).readonly(),
                rules: z.number().int(),
              }),
              packs: z
                .array(z.object({ pack: z.string(), name: bilingual, rules: z.number().int(), sources: z.number().int() }))
                .readonly(),
              limits: z.record(z.string(), z.union([z.number(), z.boolean()])),
            }),
            ...errors,
          },
        },
      },
      async (request) => readSettings(settings, actor(request)),
    );

    app.get(
      '/agencies',
      {
        config: { permission: 'agency.read' },
        schema: {
          tags: ['directory'],
          summary: 'Desk: the agency directory.',
          response: { 200: z.object({ items: z.array(directoryAgencySchema) }), ...errors },
        },
      },
      async (request) => ({ items: (await listAgencies(context, actor(request))).map(directoryView) }),
    );

    app.get(
      '/agencies/:id',
      {
        config: { permission: 'agency.read' },
        schema: {
          tags: ['directory'],
          summary: "Desk: one agency's directory entry and the history of its status.",
          params: idParams,
          response: { 200: directoryEntrySchema, ...errors },
        },
      },
      async (request) => {
        const entry = await getAgency(context, actor(request), { id: request.params.id });
        return { agency: directoryView(entry.agency), history: entry.history };
      },
    );

    app.patch(
      '/agencies/:id',
      {
        config: { permission: 'agency.manage' },
        schema: {
          tags: ['directory'],
          summary:
            "Admin: change an agency's directory entry — jurisdiction, official email domains, verification phone number with its source, status with a reason. Suspending or blocklisting shuts its people out at once.",
          params: idParams,
          body: directoryEntryInputSchema,
          response: { 200: directoryEntrySchema, ...errors },
        },
      },
      async (request) => {
        const entry = await updateAgency(context, actor(request), { id: request.params.id, body: request.body });
        // Sessions and tokens of a suspended agency stop working now, not when the cache expires.
        app.actors.clear();
        return { agency: directoryView(entry.agency), history: entry.history };
      },
    );
  };
