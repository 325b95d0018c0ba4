/**
 * Removal decisions as statements of reasons for the EU DSA Transparency Database (Art. 17 and 24(5) DSA), in the form
 * its API takes (digital-services-act/transparency-database, StatementStoreRequest): an authority's order is an "other
 * notification" (SOURCE_TYPE_OTHER_NOTIFICATION), the ground is illegal content, the decision was not automated. The
 * statement holds no personal data: the facts are standard wording and the order's own references.
 */
import type { RemovalDecisionFacts } from './ports.ts';
import type { InstrumentType } from './request.ts';

/** EU and EEA countries: the only values `territorial_scope` takes. */
export const EU_COUNTRIES = [
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
] as const;
export const EEA_COUNTRIES = [...EU_COUNTRIES, 'IS', 'LI', 'NO'] as const;

export interface StatementOfReasons {
  readonly puid: string;
  readonly decision_visibility: readonly string[];
  readonly decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT';
  readonly illegal_content_legal_ground: string;
  readonly illegal_content_explanation: string;
  readonly content_type: readonly string[];
  readonly content_type_other: string;
  readonly category: string;
  readonly content_date: string;
  readonly application_date: string;
  readonly decision_facts: string;
  readonly source_type: 'SOURCE_TYPE_OTHER_NOTIFICATION';
  readonly automated_detection: 'No';
  readonly automated_decision: 'AUTOMATED_DECISION_NOT_AUTOMATED';
  readonly territorial_scope?: readonly string[];
}

const INSTRUMENT_NAMES: Readonly<Partial<Record<InstrumentType, string>>> = {
  removal_order: 'removal order',
  court_order: 'court order',
  search_warrant: 'warrant',
  other: 'order',
  letter: 'written request',
};

const day = (iso: string) => iso.slice(0, 10);
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * The statement for one removal order acted on, or undefined when the content was kept: a statement of reasons
 * explains a restriction, and keeping the content restricts nothing.
 */
export function statementOfReasons(facts: RemovalDecisionFacts): StatementOfReasons | undefined {
  if (facts.action === 'kept') return undefined;
  const order = INSTRUMENT_NAMES[facts.instrumentType] ?? 'order';
  const issuer = facts.issuingAuthority ? ` of ${facts.issuingAuthority}` : '';
  const reference = facts.reference ? ` (reference ${facts.reference}${facts.issuedOn ? `, issued ${facts.issuedOn}` : ''})` : '';
  const where = facts.jurisdiction === 'EU' ? 'Union law' : `the law of ${facts.jurisdiction}`;
  const scope =
    facts.jurisdiction === 'EU'
      ? [...EU_COUNTRIES]
      : (EEA_COUNTRIES as readonly string[]).includes(facts.jurisdiction)
        ? [facts.jurisdiction]
        : undefined;
  const content = facts.contentFrom && facts.contentFrom < facts.receivedAt ? facts.contentFrom : facts.receivedAt;
  const done = facts.action === 'removed' ? 'removed' : 'disabled in the territory the order covers';
  return {
    puid: facts.trackingNumber.replace(/[^A-Za-z0-9_-]/g, '-'),
    decision_visibility: [facts.action === 'removed' ? 'DECISION_VISIBILITY_CONTENT_REMOVED' : 'DECISION_VISIBILITY_CONTENT_DISABLED'],
    decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT',
    illegal_content_legal_ground: clip(`${order}${issuer}${reference} under ${where}`, 500),
    illegal_content_explanation: clip(
      `A competent authority ordered the content removed as illegal under ${where}. The platform checked the order against that law and its own policy, and acted on it.`,
      2000,
    ),
    content_type: ['CONTENT_TYPE_OTHER'],
    content_type_other: 'Content named in an authority’s order, by its address or identifier',
    category: 'STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE',
    content_date: day(content),
    application_date: day(facts.actionedAt),
    decision_facts: clip(
      `The platform received an authority's ${order} on ${day(facts.receivedAt)} through its request desk, verified the requester, reviewed the order and ${done} ${facts.items} item(s) on ${day(facts.actionedAt)}.`,
      5000,
    ),
    source_type: 'SOURCE_TYPE_OTHER_NOTIFICATION',
    automated_detection: 'No',
    automated_decision: 'AUTOMATED_DECISION_NOT_AUTOMATED',
    ...(scope ? { territorial_scope: scope } : {}),
  };
}
