/**
 * Rule packs: the law of one jurisdiction (or one instrument family, like the EU's), and the platform's own policy,
 * as data. A rule is a set of conditions that must all hold and the finding it gives, with the source it rests on and
 * how sure we are of that source (confirmed, secondary, believed: as the legal reference marks it). The schema is
 * strict: an unknown condition, a rule without a source, or a message without its Korean text is refused at start.
 */
import { z } from 'zod';
import { DATA_CATEGORIES, IDENTIFIER_KINDS, INSTRUMENT_TYPES, ISSUER_TYPES, REQUEST_KINDS } from '../request.ts';

export const SEVERITIES = ['block', 'needs_info', 'warn', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SOURCE_STATUSES = ['confirmed', 'secondary', 'believed'] as const;
export type SourceStatus = (typeof SOURCE_STATUSES)[number];
export const REQUIRED_FIELDS = [
  'date_range',
  'offence',
  'offence_penalty',
  'documents',
  'case_reference',
  'issuing_authority',
  'issuer',
  'summary',
] as const;
export type RequiredField = (typeof REQUIRED_FIELDS)[number];

const region = z.string().regex(/^(?:[A-Z]{2}|EU|COE)$/, 'a jurisdiction code (KR, US, EU, COE, ...)');
const text = z.strictObject({ en: z.string().min(1).max(2000), ko: z.string().min(1).max(2000) });
const pattern = z
  .string()
  .min(1)
  .max(200)
  .refine((value) => {
    try {
      new RegExp(value, 'iu');
      return true;
    } catch {
      return false;
    }
  }, 'a valid regular expression');

/** Every condition a rule can state. All that are given must hold for the rule to fire. */
export const conditionsSchema = z.strictObject({
  jurisdiction: z.array(region).min(1).optional(),
  jurisdiction_not: z.array(region).min(1).optional(),
  /** The request's jurisdiction is not one of the platform's home regions (policy `home`). */
  foreign: z.boolean().optional(),
  platform_home: z.array(region).min(1).optional(),
  kind: z.array(z.enum(REQUEST_KINDS)).min(1).optional(),
  kind_not: z.array(z.enum(REQUEST_KINDS)).min(1).optional(),
  instrument: z.array(z.enum(INSTRUMENT_TYPES)).min(1).optional(),
  instrument_not: z.array(z.enum(INSTRUMENT_TYPES)).min(1).optional(),
  issuer: z.array(z.enum(ISSUER_TYPES)).min(1).optional(),
  /** The issuer is known and not one of these (an unknown issuer is a `missing: [issuer]` question). */
  issuer_not: z.array(z.enum(ISSUER_TYPES)).min(1).optional(),
  /** Any of these categories is asked for; the finding names the ones that are. */
  categories: z.array(z.enum(DATA_CATEGORIES)).min(1).optional(),
  emergency: z.boolean().optional(),
  offence_max_below: z.number().positive().optional(),
  missing: z.array(z.enum(REQUIRED_FIELDS)).min(1).optional(),
  targets_at_least: z.number().int().positive().optional(),
  /** Any pattern matches the summary, the offence or a target's note (case-insensitive). */
  text_matches: z.array(pattern).min(1).optional(),
  /** No pattern matches the emergency facts the officer gave. */
  danger_facts_lack: z.array(pattern).min(1).optional(),
  received_days_ago_over: z.number().positive().optional(),
  non_disclosure: z.enum(['ordered', 'ordered_without_end', 'none']).optional(),
  range_days_over: z.number().positive().optional(),
  /** A category asked for that the platform does not hold (policy `holds`). */
  not_held: z.boolean().optional(),
  /** The range starts before what the platform keeps of a category asked for (policy `holds.<category>.days`). */
  beyond_retention: z.boolean().optional(),
  /** A category asked for that the platform never produces (policy `never_produces`). */
  never_produced: z.boolean().optional(),
  /** Another open request names one of the same targets. */
  duplicate: z.boolean().optional(),
  /** An identifier that is not specific (kind `other`: a display name, a description). */
  vague_targets: z.boolean().optional(),
  /** Some target is not of one of these kinds (a removal order must name exact URLs). */
  targets_not_of_kind: z.array(z.enum(IDENTIFIER_KINDS)).min(1).optional(),
  /** The requesting agency is not `verified` in the directory (pending, suspended, blocklisted). */
  agency_not_verified: z.boolean().optional(),
  /** The agency's jurisdiction in the directory is not the one its legal process invokes. */
  agency_jurisdiction_mismatch: z.boolean().optional(),
});
export type Conditions = z.infer<typeof conditionsSchema>;

export const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,80}$/, 'a lower-case rule id such as kr.traffic.court-permission'),
  when: conditionsSchema,
  finding: z.strictObject({
    code: z.string().regex(/^[A-Z][A-Z0-9_]{2,60}$/, 'an upper-case code'),
    severity: z.enum(SEVERITIES),
    /** `both`: the officer sees it too (what to add or fix); `desk`: reviewers and counsel only. */
    audience: z.enum(['desk', 'both']),
    /** One finding per matched category instead of one for all. */
    per_category: z.boolean().default(false),
    message: text,
    source: z.string().min(1),
    /** A deadline counted from when the request was received. */
    due: z.strictObject({ hours: z.number().positive() }).optional(),
    /** For a period (a preservation's): how much the one extension the law allows adds. */
    extension: z.strictObject({ hours: z.number().positive() }).optional(),
  }),
});
export type Rule = z.infer<typeof ruleSchema>;

export const sourceSchema = z.strictObject({
  cite: z.string().min(1).max(500),
  status: z.enum(SOURCE_STATUSES),
  url: z.url().optional(),
});
export type Source = z.infer<typeof sourceSchema>;

export const rulePackSchema = z
  .strictObject({
    pack: z.string().regex(/^[a-z0-9-]{2,20}$/),
    name: text,
    sources: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/), sourceSchema),
    rules: z.array(ruleSchema).min(1),
  })
  .superRefine((pack, context) => {
    const ids = new Set<string>();
    pack.rules.forEach((rule, index) => {
      if (ids.has(rule.id)) context.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `rule id ${rule.id} repeats` });
      ids.add(rule.id);
      if (!pack.sources[rule.finding.source]) {
        context.addIssue({
          code: 'custom',
          path: ['rules', index, 'finding', 'source'],
          message: `no source named ${rule.finding.source}`,
        });
      }
    });
  });
export type RulePack = z.infer<typeof rulePackSchema>;

/** The platform's policy: a rule pack of the same shape plus the facts its rules are checked against. */
export const policySchema = z
  .strictObject({
    pack: z.literal('policy'),
    name: text,
    /** Where the platform is established: requests from elsewhere are foreign. */
    home: z.array(region).min(1),
    holds: z.partialRecord(
      z.enum(DATA_CATEGORIES),
      z.strictObject({ held: z.boolean(), days: z.number().int().positive().optional(), note: text.optional() }),
    ),
    never_produces: z.array(z.enum(DATA_CATEGORIES)).default([]),
    /** How long the platform preserves when no rule of the law that applies says (and the one extension it allows). */
    preservation: z
      .strictObject({ days: z.number().int().positive(), extension_days: z.number().int().nonnegative() })
      .default({ days: 90, extension_days: 90 }),
    /** When the platform tells users what it disclosed about them, and how they can challenge it. */
    notice: z
      .strictObject({
        /** Finding codes meaning the law leaves notice to the authority or forbids it: the notice is withheld. */
        withheld_by: z.array(z.string().regex(/^[A-Z][A-Z0-9_]{2,60}$/)).default([]),
        /** Days after an emergency disclosure before the user is told (the emergency has passed by then). */
        emergency_delay_days: z.number().int().nonnegative().default(30),
        /** What the notice page says about challenging the disclosure or removal. */
        challenge: text,
        /** Who the user writes to. */
        contact: z.string().min(3).max(320),
      })
      .optional(),
    /**
     * Approvals beyond the law: with `second_person`, no approval of the kinds listed (those that release data) takes
     * effect on one person's word — the same decision must be approved by a second person, one of the two counsel.
     */
    approval: z
      .strictObject({
        second_person: z.boolean().default(false),
        kinds: z.array(z.enum(REQUEST_KINDS)).min(1).default(['disclosure', 'emergency', 'prospective']),
      })
      .default({ second_person: false, kinds: ['disclosure', 'emergency', 'prospective'] }),
    sources: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/), sourceSchema),
    rules: z.array(ruleSchema).default([]),
  })
  .superRefine((policy, context) => {
    policy.rules.forEach((rule, index) => {
      if (!policy.sources[rule.finding.source]) {
        context.addIssue({
          code: 'custom',
          path: ['rules', index, 'finding', 'source'],
          message: `no source named ${rule.finding.source}`,
        });
      }
    });
  });
export type Policy = z.infer<typeof policySchema>;
