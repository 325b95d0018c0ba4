/**
 * Signals that hold a request for the desk to confirm its requester before review, as pure rules. A matching email
 * domain proves little and a real officer's account can be hijacked; so a request waits in verification, with the
 * reasons shown to the desk, when its sender looks unlike the agency the directory knows, or sends from a network the
 * officer has not used before.
 */
import type { RequestKind } from './request.ts';

export const HOLD_CODES = [
  'AGENCY_NOT_VERIFIED',
  'DOMAIN_NOT_IN_DIRECTORY',
  'LOOKALIKE_DOMAIN',
  'NEW_ACCOUNT',
  'FIRST_EMERGENCY',
  'BURST',
  'NEW_NETWORK',
  'JURISDICTION_MISMATCH',
  'EMAIL_INTAKE',
  /** A re-review (a clock passed, a fact changed) found a block the last review did not have. */
  'REVIEW_BLOCK',
] as const;
export type HoldCode = (typeof HOLD_CODES)[number];

export interface HoldReason {
  readonly code: HoldCode;
  readonly detail: string;
}

export interface AnomalyInput {
  readonly request: { readonly kind: RequestKind; readonly jurisdiction: string };
  readonly agency: { readonly verificationStatus: string; readonly jurisdiction: string | null; readonly emailDomains: readonly string[] };
  /** Every official domain in the directory, of every agency (a lookalike of any of them is suspicious). */
  readonly directoryDomains: readonly string[];
  readonly officer: {
    readonly email: string;
    readonly createdAt: string;
    /** Emergency requests this officer sent before this one. */
    readonly earlierEmergencies: number;
    /** Requests this officer sent in the hour before this one, this one included. */
    readonly requestsInLastHour: number;
    /**
     * The network the request came from (`core/networks.ts`), when known: when this officer first used it, and how
     * many other networks they had used before that.
     */
    readonly network?: { readonly prefix: string; readonly firstSeenAt: string; readonly earlierNetworks: number } | undefined;
  };
  readonly now: Date;
  readonly limits: { readonly newAccountDays: number; readonly burstPerHour: number; readonly newNetworkDays: number };
}

const EU_MEMBERS = new Set('AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE'.split(' '));

/** Letters that look alike, folded to one form: Cyrillic and Greek homoglyphs, digits that pass for letters, `rn`. */
const HOMOGLYPHS: ReadonlyArray<readonly [RegExp, string]> = [
  [/[аα]/g, 'a'],
  [/[еε]/g, 'e'],
  [/[оο0]/g, 'o'],
  [/[рρ]/g, 'p'],
  [/с/g, 'c'],
  [/[хχ]/g, 'x'],
  [/[іι1l|]/g, 'i'],
  [/[ѕ]/g, 's'],
  [/[уγ]/g, 'y'],
  [/[кκ]/g, 'k'],
  [/[νѵ]/g, 'v'],
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/-/g, ''],
];

/** The form a domain takes to the eye: case, homoglyphs, hyphens and a trailing dot folded away. */
export function skeleton(domain: string): string {
  let folded = domain.normalize('NFKC').toLowerCase().replace(/\.$/, '');
  for (const [pattern, letter] of HOMOGLYPHS) folded = folded.replace(pattern, letter);
  return folded;
}

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  const tail = (x: string, y: string) => x.slice(i + 1) === y.slice(i + 1);
  if (a.length === b.length) return tail(a, b) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

const withinDomain = (domain: string, official: string) => domain === official || domain.endsWith(`.${official}`);

/** An address's domain, lower case, without a trailing dot. */
export const domainOf = (email: string): string => (email.split('@').at(-1) ?? '').toLowerCase().replace(/\.$/, '');

/** A domain that is not an official one but looks like one (by its letters, or one edit away, or one as a prefix). */
export function looksLike(domain: string, official: string): boolean {
  if (withinDomain(domain, official)) return false;
  const [shape, officialShape] = [skeleton(domain), skeleton(official)];
  return (
    // An internationalised (punycode) name where the official one is plain ASCII hides its letters from the eye.
    (domain.split('.').some((label) => label.startsWith('xn--')) && !official.includes('xn--')) ||
    withinDomain(shape, officialShape) ||
    editDistanceAtMostOne(shape, officialShape) ||
    // police.go.kr.example.com: the official name used as a prefix of another domain.
    domain.startsWith(`${official}.`)
  );
}

export function holdReasons(input: AnomalyInput): HoldReason[] {
  const reasons: HoldReason[] = [];
  const { request, agency, officer, now, limits } = input;
  if (agency.verificationStatus !== 'verified') {
    reasons.push({ code: 'AGENCY_NOT_VERIFIED', detail: `The agency is ${agency.verificationStatus} in the directory.` });
  }
  const domain = domainOf(officer.email);
  if (!agency.emailDomains.some((official) => withinDomain(domain, official))) {
    const imitated = input.directoryDomains.find((official) => looksLike(domain, official));
    reasons.push(
      imitated
        ? { code: 'LOOKALIKE_DOMAIN', detail: `The officer's address is at ${domain}, which looks like the official ${imitated}.` }
        : {
            code: 'DOMAIN_NOT_IN_DIRECTORY',
            detail: `The officer's address is at ${domain}, not a domain the directory lists for the agency.`,
          },
    );
  }
  const ageDays = (now.getTime() - Date.parse(officer.createdAt)) / 86_400_000;
  // 0 means never: a clock a little behind the account's creation must not hold it either.
  if (limits.newAccountDays > 0 && ageDays < limits.newAccountDays) {
    reasons.push({
      code: 'NEW_ACCOUNT',
      detail: `The officer's account is ${Math.floor(ageDays)} day(s) old (under ${limits.newAccountDays}).`,
    });
  }
  if (request.kind === 'emergency' && officer.earlierEmergencies === 0) {
    reasons.push({ code: 'FIRST_EMERGENCY', detail: 'This is the first emergency request from this officer.' });
  }
  if (officer.requestsInLastHour > limits.burstPerHour) {
    reasons.push({
      code: 'BURST',
      detail: `The officer sent ${officer.requestsInLastHour} requests in the last hour (more than ${limits.burstPerHour}).`,
    });
  }
  // A first network is no signal (a new account is); a change of network after others is, for a while.
  const network = officer.network;
  if (network && network.earlierNetworks > 0) {
    const sinceDays = (now.getTime() - Date.parse(network.firstSeenAt)) / 86_400_000;
    if (sinceDays < limits.newNetworkDays) {
      reasons.push({
        code: 'NEW_NETWORK',
        detail: `The request came from a network (${network.prefix}) this officer first used ${Math.floor(sinceDays * 24)} hour(s) before it; they had used ${network.earlierNetworks} other network(s) until then.`,
      });
    }
  }
  const home = agency.jurisdiction;
  const matches =
    !home || home === request.jurisdiction || request.jurisdiction === 'COE' || (request.jurisdiction === 'EU' && EU_MEMBERS.has(home));
  if (!matches) {
    reasons.push({
      code: 'JURISDICTION_MISMATCH',
      detail: `The agency is registered in ${home}, and the request invokes the law of ${request.jurisdiction}.`,
    });
  }
  return reasons;
}
