/**
 * The facts for the legal review that an emailed notice states, as a confirmed draft hands them on: the instrument as
 * the law names it (only where the instrument type and jurisdiction leave one form), who issued it (a court the notice
 * names, or the requesting body when its name says police or prosecutor), the legal basis as written, a renewal, and
 * the date range as the period it authorises when that range runs on past the notice (a range wholly in the past is
 * the data asked for, not a period of the measure). Nothing is guessed beyond what the notice says: a target's role, residence or
 * protected status is never read from an email, and a fact the notice does not state stays absent, so the review
 * derives it as for any request.
 */
import { INSTRUMENT_TYPES, type InstrumentType, type IssuerType } from './request.ts';
import type { FactsInput } from './review/facts.ts';
import { INSTRUMENT_FORMS, type InstrumentForm, type IssuerRole } from './review/vocabulary.ts';

export interface NoticeStatements {
  readonly jurisdiction: string;
  readonly instrumentType: string | null;
  readonly court: string | null;
  readonly requestingAgency: string | null;
  readonly legalBasis: readonly string[];
  readonly isRenewal: boolean | null;
  readonly dateRange: { readonly from: string; readonly to: string } | null;
  /** When the notice arrived. */
  readonly receivedAt: string;
}

export interface NoticeFacts {
  /** The coarse issuer type, when the notice names its issuer. */
  readonly issuerType?: IssuerType;
  /** The stated facts, or undefined when the notice states none. */
  readonly facts?: FactsInput;
}

const DAY = 86_400_000;

/** The one form the jurisdiction's law gives this instrument type, or undefined when it gives none or several. */
export function formFor(jurisdiction: string, instrumentType: string | null): InstrumentForm | undefined {
  if (!instrumentType || !(INSTRUMENT_TYPES as readonly string[]).includes(instrumentType)) return undefined;
  const forms = (Object.entries(INSTRUMENT_FORMS) as Array<[InstrumentForm, (typeof INSTRUMENT_FORMS)[InstrumentForm]]>).filter(
    ([, entry]) =>
      entry.family === (instrumentType as InstrumentType) &&
      'jurisdictions' in entry &&
      (entry.jurisdictions as readonly string[]).includes(jurisdiction),
  );
  return forms.length === 1 ? forms[0]![0] : undefined;
}

const DISTRICT_COURT = /\bdistrict court\b|지방법원|地方法院|地方裁判所|Amtsgericht|tribunal judiciaire/iu;
const POLICE = /\bpolice\b|\bpolizei|\bpolicía|\bpolícia|경찰|警察|公安|полици/iu;
const PROSECUTOR = /\bprosecut|\battorney'?s office\b|검찰|检察|検察|staatsanwaltschaft|parquet|procura|fiscal[ií]a|прокуратур/iu;

/** Who issued the process, as the notice names them: a court first, else the requesting body when its name says. */
export function issuerFor(court: string | null, agency: string | null): { type: IssuerType; role: IssuerRole } | undefined {
  if (court) return { type: 'court', role: DISTRICT_COURT.test(court) ? 'district_court' : 'judge' };
  if (agency && PROSECUTOR.test(agency)) return { type: 'prosecutor', role: 'prosecutor' };
  if (agency && POLICE.test(agency)) return { type: 'police', role: 'police' };
  return undefined;
}

/** The facts a notice states, for the request a confirmed draft becomes. */
export function noticeFacts(notice: NoticeStatements): NoticeFacts {
  const form = formFor(notice.jurisdiction, notice.instrumentType);
  const issuer = issuerFor(notice.court, notice.requestingAgency);
  const basis = notice.legalBasis
    .find((entry) => entry.trim().length > 0)
    ?.trim()
    .slice(0, 500);
  const range = notice.dateRange;
  const forward = range !== null && Date.parse(range.to) > Date.parse(notice.receivedAt);
  const periodDays = range && forward ? Math.round(((Date.parse(range.to) - Date.parse(range.from)) / DAY) * 100) / 100 : undefined;
  const instrument: NonNullable<FactsInput['instrument']> = {
    ...(form ? { form } : {}),
    ...(issuer ? { issuerRole: issuer.role } : {}),
    ...(basis ? { legalBasis: basis } : {}),
    ...(notice.isRenewal === true ? { renewal: 1 } : {}),
    ...(range && periodDays !== undefined && periodDays >= 0 && periodDays <= 36_500
      ? { validFrom: range.from, validUntil: range.to, periodDays }
      : {}),
  };
  return {
    ...(issuer ? { issuerType: issuer.type } : {}),
    ...(Object.keys(instrument).length > 0 ? { facts: { instrument } } : {}),
  };
}
