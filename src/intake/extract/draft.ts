/**
 * Draft: the last stage. The stages put together — layout → candidates → roles → fields — into the fields of a draft
 * request, and the same run laid out for a person (`explain`): the zones, every candidate with its role and why.
 */
import {
  TARGET_KINDS,
  trackingNumbersIn,
  type DraftFields,
  type ExtractedValue,
  type IntakeKind,
  type TargetKind,
} from '../../core/intake.ts';
import { findDates } from '../dates.ts';
import { CASE_LABEL, EMERGENCY_CLAIM, FLEX, NON_DISCLOSURE, OFFENCE, REFERENCE_LABEL, RENEWAL, URGENCY } from '../lexicon.ts';
import { findCandidates, type Candidate } from './candidates.ts';
import {
  findCategories,
  findContacts,
  findCourt,
  findInstrument,
  findJurisdiction,
  findKind,
  findLabelled,
  findLegalBasis,
  findOfficer,
  findOrganisations,
  findTiming,
  spanOf,
  value,
} from './fields.ts';
import { layoutOf, linesOf, type Layout } from './layout.ts';
import { assignRoles, type RoledCandidate } from './roles.ts';

export interface ExtractOptions {
  /** When the message was sent (its Date header), for deadlines written as "within N days". */
  readonly sentAt?: string | undefined;
  readonly senderDomain?: string | undefined;
}

export interface Extraction {
  readonly layout: Layout;
  readonly candidates: readonly RoledCandidate[];
  readonly fields: DraftFields;
}

/** A target with what the text wrote and what was changed, when the value is not exactly what was written. */
function targetValue(candidate: Candidate): ExtractedValue<string> {
  const base = value(candidate.value, spanOf(candidate.start, candidate.end), candidate.confidence);
  return candidate.repairs.length > 0 ? { ...base, written: candidate.written, note: candidate.repairs.join('; ') } : base;
}

/** Run every stage on a reading text. */
export function extract(reading: string, options: ExtractOptions = {}): Extraction {
  const text = reading.length > 400_000 ? reading.slice(0, 400_000) : reading;
  const layout = layoutOf(text);
  const { lines, signatureStart, language } = layout;
  const senderDomain = options.senderDomain?.toLowerCase();

  // Organisations first: the country they name is the default for national phone numbers.
  const organisations = findOrganisations(text, lines, signatureStart, layout);
  const jurisdiction = findJurisdiction(text, organisations.agency?.value, senderDomain);
  const country = jurisdiction.country?.value;
  const contact = findContacts(text, lines, signatureStart, country);

  const candidates = assignRoles(findCandidates(layout, country), {
    layout,
    contactSpans: contact.contactSpans,
    contactEmail: contact.email?.value,
    senderDomain,
  });
  const targets = Object.fromEntries(TARGET_KINDS.map((kind) => [kind, [] as Array<ExtractedValue<string>>])) as {
    [K in TargetKind]: Array<ExtractedValue<string>>;
  };
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (candidate.role !== 'target' || candidate.kind === 'case_number') continue;
    // One target written twice (with and without its scheme or "www.") counts once.
    const same =
      candidate.kind === 'urls'
        ? candidate.value
            .replace(/^https?:\/\//i, '')
            .replace(/^www\./i, '')
            .replace(/\/+$/, '')
            .replace(/^[^/]+/, (host) => host.toLowerCase())
        : candidate.kind === 'usernames' || candidate.kind === 'emails'
          ? candidate.value.toLowerCase()
          : candidate.value;
    const key = `${candidate.kind}|${same}`;
    if (seen.has(key)) continue;
    seen.add(key);
    targets[candidate.kind].push(targetValue(candidate));
  }
  const ipTimes: Array<ExtractedValue<{ ip: string; time: string }>> = [];
  for (const ip of targets.ip_addresses) {
    const start = ip.span!.start;
    const lineStart = layout.flowed.lastIndexOf('\n', start - 1) + 1;
    const lineEnd = layout.flowed.indexOf('\n', start);
    const line = layout.flowed.slice(lineStart, lineEnd < 0 ? layout.flowed.length : lineEnd);
    const time = findDates(line, 'en').find((date) => date.iso.includes('T'));
    if (time) {
      ipTimes.push(
        value(
          { ip: ip.value, time: time.iso },
          spanOf(lineStart + Math.min(time.start, start - lineStart), lineStart + Math.max(time.end, ip.span!.end - lineStart)),
          0.7,
        ),
      );
    }
  }

  const dates = findDates(layout.flowed, language, options.sentAt ? new Date(options.sentAt) : new Date());
  // A range and a deadline are read in the flowed text (a wrapped sentence is one); the letter's own date is a line
  // of its own as written.
  const flowedTiming = findTiming(layout.flowed, linesOf(layout.flowed), dates, options.sentAt);
  const writtenTiming = findTiming(text, lines, dates, options.sentAt);
  const timing = { ...flowedTiming, requestDate: writtenTiming.requestDate ?? flowedTiming.requestDate };
  const kind = findKind(layout.flowed);
  const emergencyClaim = FLEX.flex(EMERGENCY_CLAIM).exec(text);
  const urgency = FLEX.flex(URGENCY).exec(text);
  const nonDisclosure = FLEX.flex(NON_DISCLOSURE).exec(text);
  const isEmergency = kind?.value === 'emergency' || (emergencyClaim !== null && kind?.value !== 'removal');
  const signed = findOfficer(lines, signatureStart);
  // "联系人：王警官", "Contact person: …", "담당자: …", "Contacto: …", "Контактное лицо: …"
  const contactPerson =
    /(?:联系人|聯絡人|contact person|contact officer|담당자|contacto|persona de contacto|контактное лицо|исполнитель)\s*[:：]\s*([^\n,，;；]{2,60})/i.exec(
      text,
    );
  const officer =
    signed.name || !contactPerson
      ? signed
      : {
          ...signed,
          name: value(
            contactPerson[1]!.trim(),
            spanOf(contactPerson.index + contactPerson[0].length - contactPerson[1]!.length, contactPerson.index + contactPerson[0].length),
            0.55,
          ),
        };
  const labelled = findLabelled(layout.flowed, CASE_LABEL)[0] ?? null;
  // A labelled number a scan misread ("Case No. l:25-mj-00417") takes the docket's repaired reading, and says so.
  const repaired = labelled
    ? candidates.find(
        (candidate) => candidate.kind === 'case_number' && candidate.start === labelled.span?.start && candidate.repairs.length > 0,
      )
    : undefined;
  const labelledCase =
    labelled && repaired
      ? {
          ...labelled,
          value: repaired.value,
          confidence: repaired.confidence,
          written: repaired.written,
          note: repaired.repairs.join('; '),
        }
      : labelled;
  const caseNumber = labelledCase ?? docketNumber(candidates);
  const references = findLabelled(layout.flowed, REFERENCE_LABEL).filter((entry) => entry.value !== caseNumber?.value);

  // Facts for the legal review: the offence named in the body (not in a publisher's note), a renewal or extension.
  const offence = FLEX.flex(OFFENCE).exec(layout.flowed);
  const renewal = FLEX.flex(RENEWAL).exec(layout.flowed);
  const fields: DraftFields = {
    language,
    kind:
      isEmergency && kind?.value !== 'emergency' && emergencyClaim
        ? value('emergency' as IntakeKind, spanOf(emergencyClaim.index, emergencyClaim.index + emergencyClaim[0].length), 0.6)
        : kind,
    requestingAgency: organisations.agency,
    requestingUnit: organisations.unit,
    officerName: officer.name,
    officerTitle: officer.title,
    contactEmail: contact.email,
    contactPhone: contact.phone,
    contactAddress: contact.address,
    caseNumber,
    referenceNumbers: references,
    legalBasis: findLegalBasis(text),
    instrumentType: findInstrument(layout.flowed),
    jurisdictionCountry: jurisdiction.country,
    jurisdictionSubdivision: jurisdiction.subdivision,
    court: organisations.court ?? findCourt(layout.flowed),
    targets,
    ipTimes,
    dateRange: timing.range,
    dataCategories: kind?.value === 'removal' ? [] : findCategories(layout.flowed),
    isEmergency: isEmergency
      ? value(
          true,
          emergencyClaim ? spanOf(emergencyClaim.index, emergencyClaim.index + emergencyClaim[0].length) : (kind?.span ?? null),
          emergencyClaim ? 0.75 : 0.6,
        )
      : value(false, null, 0.7),
    urgencyClaimed: urgency ? value(true, spanOf(urgency.index, urgency.index + urgency[0].length), 0.8) : value(false, null, 0.7),
    requestDate: timing.requestDate,
    deadline: timing.deadline,
    nonDisclosure: nonDisclosure ? value(true, spanOf(nonDisclosure.index, nonDisclosure.index + nonDisclosure[0].length), 0.7) : null,
    quotedTrackingNumbers: trackingNumbersIn(text),
    offence: offence ? value(offence[0].replace(/\s+/g, ' '), spanOf(offence.index, offence.index + offence[0].length), 0.5) : null,
    isRenewal: renewal ? value(true, spanOf(renewal.index, renewal.index + renewal[0].length), 0.5) : null,
  };
  return { layout, candidates, fields };
}

/**
 * A case number without a label: a docket in the court's caption first, then one in a shape only courts use (a U.S.
 * docket, a Korean or Chinese case number); the weak shape "19 CSW 123" only in a caption.
 */
function docketNumber(candidates: readonly RoledCandidate[]): ExtractedValue<string> | null {
  const dockets = candidates.filter((candidate) => candidate.kind === 'case_number');
  const weak = (candidate: RoledCandidate) =>
    candidate.cue === 'a docket of year, letters and number' || candidate.cue === 'a Korean case number';
  const chosen =
    dockets.find((candidate) => candidate.zones.includes('caption')) ??
    dockets.find((candidate) => !weak(candidate) && !candidate.zones.includes('annotation'));
  if (!chosen) return null;
  const base = value(chosen.value, spanOf(chosen.start, chosen.end), chosen.confidence);
  return chosen.repairs.length > 0 ? { ...base, written: chosen.written, note: chosen.repairs.join('; ') } : base;
}

/** The extraction laid out for a person: zones, candidates with their roles and why, and the fields. */
export function explain(reading: string, options: ExtractOptions = {}): string {
  const { layout, candidates, fields } = extract(reading, options);
  const excerpt = (start: number, end: number) => JSON.stringify(layout.text.slice(start, Math.min(end, start + 60)));
  const out: string[] = [`language: ${layout.language}`, '', 'zones:'];
  for (const zone of layout.zones)
    out.push(`  ${zone.kind.padEnd(11)} ${zone.start}–${zone.end}  ${zone.reason}  ${excerpt(zone.start, zone.end)}`);
  out.push('', 'candidates:');
  for (const candidate of candidates) {
    const repairs = candidate.repairs.length > 0 ? `  [${candidate.repairs.join('; ')}]` : '';
    out.push(
      `  ${candidate.role.padEnd(18)} ${candidate.kind.padEnd(13)} ${JSON.stringify(candidate.value)}${candidate.written !== candidate.value ? ` (written ${JSON.stringify(candidate.written)})` : ''} @${candidate.start} in ${candidate.zones.join('+')}: ${candidate.reason}${repairs}`,
    );
  }
  out.push('', 'fields:');
  for (const [name, field] of Object.entries(fields)) {
    if (name === 'targets') continue;
    out.push(`  ${name}: ${JSON.stringify(field)}`);
  }
  return out.join('\n');
}
