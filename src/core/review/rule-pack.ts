/**
 * Rule packs: the law of one jurisdiction (or one instrument family, like the EU's), and the platform's own policy,
 * as data. A rule states when it applies as a condition over the facts (`facts.ts`) written in CEL, the Common
 * Expression Language, optionally combined with `all` / `any` / `not` and an exception (`unless`); what it decides for
 * each target × category it applies to (`verdict`: allow, block, needs_info, route_elsewhere, hold_for_counsel); and
 * the finding it shows, with the source it rests on and how sure that source is. The schema is strict: an unknown
 * field, a rule without a source, a message without its Korean text is refused at start; so is an expression that
 * names a fact the model does not have (`compile.ts` checks every expression against the facts schema).
 */
import { z } from 'zod';
import { CHANNEL_IDS } from './vocabulary.ts';
import { DATA_CATEGORIES, REQUEST_KINDS } from '../request.ts';

export const SEVERITIES = ['block', 'needs_info', 'warn', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SOURCE_STATUSES = ['confirmed', 'secondary', 'believed'] as const;
export type SourceStatus = (typeof SOURCE_STATUSES)[number];

/** Outcomes for one target × category, strictest first: the strictest that any rule gives wins the cell. */
export const OUTCOMES = ['block', 'hold_for_counsel', 'route_elsewhere', 'needs_info', 'allow'] as const;
export type Outcome = (typeof OUTCOMES)[number];

const region = z.string().regex(/^(?:[A-Z]{2}|EU|COE)$/, 'a jurisdiction code (KR, US, EU, COE, ...)');
const text = z.strictObject({ en: z.string().min(1).max(2000), ko: z.string().min(1).max(2000) });

/** A condition: one CEL expression, or `all` / `any` of conditions, or `not` a condition. */
export type Condition =
  string | { readonly all: readonly Condition[] } | { readonly any: readonly Condition[] } | { readonly not: Condition };
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.string().min(1).max(4000),
    z.strictObject({ all: z.array(conditionSchema).min(1).max(100) }),
    z.strictObject({ any: z.array(conditionSchema).min(1).max(100) }),
    z.strictObject({ not: conditionSchema }),
  ]),
);

export const findingSchema = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9_]{2,60}$/, 'an upper-case code'),
  severity: z.enum(SEVERITIES),
  /** `both`: the officer sees it too (what to add or fix); `desk`: reviewers and counsel only. */
  audience: z.enum(['desk', 'both']),
  /** One finding per matched category instead of one for all. */
  per_category: z.boolean().default(false),
  message: text,
  source: z.string().min(1),
  /** A deadline: so many hours from an instant among the facts (the request's receipt unless `from` names another). */
  due: z
    .strictObject({
      hours: z.number().positive(),
      from: z
        .string()
        .regex(/^[a-z]+\.[A-Za-z]+$/, 'a fact path such as history.emergencyStartedAt')
        .optional(),
    })
    .optional(),
  /** For a period (a preservation's): how much the one extension the law allows adds. */
  extension: z.strictObject({ hours: z.number().positive() }).optional(),
});

export const ruleSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,80}$/, 'a lower-case rule id such as kr.traffic.court-permission'),
    /** When the rule applies: a CEL expression over the facts, or all / any / not of such conditions. */
    if: conditionSchema,
    /** The exception: when this holds, the rule does not apply even though `if` does. */
    unless: conditionSchema.optional(),
    /** What the rule decides for each target × category it applies to. */
    verdict: z.enum(OUTCOMES).optional(),
    /** For `route_elsewhere`: where the request must go instead. */
    channel: z.enum(CHANNEL_IDS).optional(),
    /** Why, in a sentence a reviewer and an officer can read (defaults to the finding's message). */
    basis: text.optional(),
    /** The source the verdict rests on (defaults to the finding's). */
    source: z.string().min(1).optional(),
    /** What the desk (and perhaps the officer) is told when the rule applies. */
    finding: findingSchema.optional(),
  })
  .superRefine((rule, context) => {
    if (!rule.verdict && !rule.finding) context.addIssue({ code: 'custom', message: 'a rule needs a verdict, a finding, or both' });
    if (rule.verdict === 'route_elsewhere' && !rule.channel)
      context.addIssue({ code: 'custom', path: ['channel'], message: 'route_elsewhere names the channel' });
    if (rule.channel && rule.verdict !== 'route_elsewhere')
      context.addIssue({ code: 'custom', path: ['channel'], message: 'a channel goes with route_elsewhere' });
    if (rule.verdict && !rule.source && !rule.finding)
      context.addIssue({ code: 'custom', path: ['source'], message: 'a verdict cites a source' });
    if (rule.verdict && !rule.basis && !rule.finding)
      context.addIssue({ code: 'custom', path: ['basis'], message: 'a verdict states its basis' });
  });
export type Rule = z.infer<typeof ruleSchema>;

/** A pinpoint: the instrument, article, paragraph and point the decision turns on. */
export const pinpointSchema = z.strictObject({
  instrument: z.string().min(1).max(300),
  article: z.string().min(1).max(40).optional(),
  paragraph: z.string().min(1).max(40).optional(),
  point: z.string().min(1).max(40).optional(),
});

export const sourceSchema = z.strictObject({
  /** As shown: for Korean law the Korean name first, then the English (통신비밀보호법 제13조 제1항 (PCSA Art. 13(1))). */
  cite: z.string().min(1).max(500),
  status: z.enum(SOURCE_STATUSES),
  url: z.url().optional(),
  pinpoint: pinpointSchema.optional(),
  /** For case law: the court, the case number and the date of the decision. */
  case: z
    .strictObject({
      court: z.string().min(1).max(200),
      number: z.string().min(1).max(100),
      date: z.iso.date(),
    })
    .optional(),
});
export type Source = z.infer<typeof sourceSchema>;

const HANGUL_FIRST = /^[\p{Script=Hangul}]/u;

function checkSources(
  pack: { pack: string; sources: Record<string, Source>; rules: readonly Rule[] },
  context: z.RefinementCtx,
  path: (string | number)[] = [],
) {
  const ids = new Set<string>();
  pack.rules.forEach((rule, index) => {
    if (ids.has(rule.id))
      context.addIssue({ code: 'custom', path: [...path, 'rules', index, 'id'], message: `rule id ${rule.id} repeats` });
    ids.add(rule.id);
    for (const [where, name] of [
      ['finding', rule.finding?.source],
      ['source', rule.source],
    ] as const) {
      if (name && !pack.sources[name])
        context.addIssue({ code: 'custom', path: [...path, 'rules', index, where], message: `no source named ${name}` });
    }
  });
  if (pack.pack === 'kr') {
    for (const [name, source] of Object.entries(pack.sources)) {
      if (!HANGUL_FIRST.test(source.cite))
        context.addIssue({
          code: 'custom',
          path: [...path, 'sources', name, 'cite'],
          message: 'Korean law is cited by its Korean name first',
        });
    }
  }
}

export const rulePackSchema = z
  .strictObject({
    pack: z.string().regex(/^[a-z0-9-]{2,20}$/),
    name: text,
    /** Jurisdictions this pack applies to besides the one it is named after (e.g. the EU pack: the Member States). */
    applies_to: z.array(region).default([]),
    sources: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/), sourceSchema),
    rules: z.array(ruleSchema).min(1),
  })
  .superRefine((pack, context) => checkSources(pack, context));
export type RulePack = z.infer<typeof rulePackSchema>;

/** The platform's policy: a rule pack of the same shape plus the facts its rules are checked against. */
export const policySchema = z
  .strictObject({
    pack: z.literal('policy'),
    name: text,
    /** Where the platform is established: requests from elsewhere are foreign. */
    home: z.array(region).min(1),
    /** Optional practices the platform turns on; rules read them as `platform.options`. */
    options: z.array(z.string().regex(/^[a-z0-9_]{2,60}$/)).default([]),
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
    /** The verdict of a cell no rule gives a lawful basis for: what it says and the source it cites. */
    no_basis: z.strictObject({ message: text, source: z.string().min(1) }).optional(),
    sources: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/), sourceSchema),
    rules: z.array(ruleSchema).default([]),
  })
  .superRefine((policy, context) => {
    checkSources(policy, context);
    if (policy.no_basis && !policy.sources[policy.no_basis.source])
      context.addIssue({ code: 'custom', path: ['no_basis', 'source'], message: `no source named ${policy.no_basis.source}` });
  });
export type Policy = z.infer<typeof policySchema>;
