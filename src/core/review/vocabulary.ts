/**
 * The words the law uses: instrument forms and issuer roles per jurisdiction, in English and in the original language,
 * each mapped to the coarse family (`InstrumentType`, `IssuerType`) the rest of Writ uses. A rule names the form
 * (`instrument.form == "us_2703d_order"`) when the law turns on it, and the family when any instrument of that kind
 * will do. An agency that names no form gets the family's generic form (`generic_<family>`).
 */
import type { InstrumentType, IssuerType } from '../request.ts';

export interface VocabularyEntry<Family extends string> {
  readonly family: Family;
  readonly en: string;
  /** The name in the law's own language (Korean, French, ...), when it is not English. */
  readonly original?: string;
  /** Jurisdictions (or instrument families: EU, COE) whose law names it; absent for generic forms. */
  readonly jurisdictions?: readonly string[];
}

export const INSTRUMENT_FORMS = {
  // Korea
  kr_subscriber_data_request: {
    family: 'letter',
    en: 'Written request for subscriber information (TBA Art. 83(3))',
    original: '통신이용자정보 제공요청서',
    jurisdictions: ['KR'],
  },
  kr_communication_confirmation_permit: {
    family: 'communication_confirmation_permit',
    en: 'Permit for the provision of communication confirmation data (PCSA Art. 13)',
    original: '통신사실확인자료 제공요청 허가서',
    jurisdictions: ['KR'],
  },
  kr_search_warrant: {
    family: 'search_warrant',
    en: 'Warrant of seizure, search and inspection (CPA Arts. 106, 215)',
    original: '압수·수색·검증영장',
    jurisdictions: ['KR'],
  },
  kr_interception_permit: {
    family: 'interception_order',
    en: 'Permit for communication-restricting measures (interception; PCSA Arts. 5-6)',
    original: '통신제한조치 허가서',
    jurisdictions: ['KR'],
  },
  kr_emergency_interception: {
    family: 'emergency_request',
    en: 'Emergency communication-restricting measure (PCSA Art. 8)',
    original: '긴급통신제한조치',
    jurisdictions: ['KR'],
  },
  kr_emergency_confirmation_request: {
    family: 'emergency_request',
    en: 'Emergency request for communication confirmation data (PCSA Art. 13(2) proviso)',
    original: '긴급 통신사실확인자료 제공요청',
    jurisdictions: ['KR'],
  },
  // United States
  us_subpoena: { family: 'subpoena', en: 'Subpoena (administrative, grand jury or trial)', jurisdictions: ['US'] },
  us_2703d_order: { family: 'court_order', en: 'Court order under 18 U.S.C. 2703(d)', jurisdictions: ['US'] },
  us_search_warrant: { family: 'search_warrant', en: 'Search warrant (FRCP 41 or state equivalent)', jurisdictions: ['US'] },
  us_pen_trap_order: {
    family: 'court_order',
    en: 'Pen register / trap and trace order (18 U.S.C. 3123)',
    jurisdictions: ['US'],
  },
  us_title_iii_order: { family: 'interception_order', en: 'Title III interception order (18 U.S.C. 2518)', jurisdictions: ['US'] },
  us_2703f_preservation: { family: 'preservation_order', en: 'Preservation request under 18 U.S.C. 2703(f)', jurisdictions: ['US'] },
  us_2702_emergency: {
    family: 'emergency_request',
    en: 'Emergency disclosure request (18 U.S.C. 2702(b)(8), (c)(4))',
    jurisdictions: ['US'],
  },
  us_fisa_702_directive: {
    family: 'other',
    en: 'Directive under FISA Section 702 (50 U.S.C. 1881a(i))',
    jurisdictions: ['US'],
  },
  us_2705b_order: { family: 'court_order', en: 'Preclusion-of-notice order (18 U.S.C. 2705(b))', jurisdictions: ['US'] },
  // European Union
  eu_epoc: {
    family: 'production_order',
    en: 'European Production Order Certificate (Reg. (EU) 2023/1543, Annex I)',
    jurisdictions: ['EU'],
  },
  eu_epoc_pr: {
    family: 'preservation_order',
    en: 'European Preservation Order Certificate (Reg. (EU) 2023/1543, Annex II)',
    jurisdictions: ['EU'],
  },
  eu_dsa_art9_order: { family: 'removal_order', en: 'Order to act against illegal content (DSA Art. 9)', jurisdictions: ['EU'] },
  eu_dsa_art10_order: { family: 'other', en: 'Order to provide information (DSA Art. 10)', jurisdictions: ['EU'] },
  eu_tco_removal_order: {
    family: 'removal_order',
    en: 'Removal order for terrorist content (Reg. (EU) 2021/784 Art. 3)',
    jurisdictions: ['EU'],
  },
  // United Kingdom
  gb_ipa_authorisation: {
    family: 'other',
    en: 'Authorisation to obtain communications data (IPA 2016 Part 3)',
    jurisdictions: ['GB'],
  },
  gb_ipa_interception_warrant: {
    family: 'interception_order',
    en: 'Targeted interception warrant (IPA 2016 ss. 19, 23)',
    jurisdictions: ['GB'],
  },
  gb_overseas_production_order: {
    family: 'production_order',
    en: 'Overseas production order (Crime (Overseas Production Orders) Act 2019)',
    jurisdictions: ['GB'],
  },
  // France
  fr_requisition_60_1: {
    family: 'letter',
    en: 'Requisition in a flagrance inquiry (CPP art. 60-1)',
    original: 'réquisition (art. 60-1 CPP)',
    jurisdictions: ['FR'],
  },
  fr_requisition_60_1_2: {
    family: 'letter',
    en: 'Requisition for connection, traffic or location data (CPP art. 60-1-2)',
    original: 'réquisition (art. 60-1-2 CPP)',
    jurisdictions: ['FR'],
  },
  fr_requisition_77_1_1: {
    family: 'letter',
    en: "Requisition in a preliminary inquiry, with the prosecutor's authorisation (CPP art. 77-1-1)",
    original: 'réquisition (art. 77-1-1 CPP)',
    jurisdictions: ['FR'],
  },
  fr_requisition_99_3: {
    family: 'court_order',
    en: 'Requisition by the investigating judge or an officer on commission (CPP art. 99-3)',
    original: "réquisition du juge d'instruction (art. 99-3 CPP)",
    jurisdictions: ['FR'],
  },
  // Council of Europe
  coe_art29_preservation: {
    family: 'preservation_order',
    en: 'Request for expedited preservation (Budapest Convention Art. 29)',
    jurisdictions: ['COE'],
  },
  coe_p2_art7_order: {
    family: 'production_order',
    en: 'Order for subscriber information (Second Additional Protocol Art. 7)',
    jurisdictions: ['COE'],
  },
  coe_p2_art9_emergency: {
    family: 'emergency_request',
    en: 'Emergency request through the 24/7 network (Second Additional Protocol Art. 9)',
    jurisdictions: ['COE'],
  },
  coe_art32b_consent: {
    family: 'letter',
    en: 'Trans-border access with consent (Budapest Convention Art. 32(b))',
    jurisdictions: ['COE'],
  },
  coe_mla_request: { family: 'mlat_request', en: 'Mutual legal assistance request (Budapest Convention Art. 27)', jurisdictions: ['COE'] },
  // India
  in_bnss_94_notice: {
    family: 'letter',
    en: 'Summons or written order to produce a document or other thing (BNSS 2023 s. 94; formerly CrPC s. 91)',
    jurisdictions: ['IN'],
  },
  in_s69_direction: {
    family: 'interception_order',
    en: 'Direction for interception, monitoring or decryption (IT Act s. 69)',
    jurisdictions: ['IN'],
  },
  in_s69a_blocking_order: { family: 'removal_order', en: 'Blocking direction (IT Act s. 69A)', jurisdictions: ['IN'] },
  in_rule_3_1_d_notice: {
    family: 'removal_order',
    en: 'Takedown on a court order or government notification (IT Rules 2021 r. 3(1)(d))',
    jurisdictions: ['IN'],
  },
  in_rule_3_1_j_order: { family: 'letter', en: 'Order for information or assistance (IT Rules 2021 r. 3(1)(j))', jurisdictions: ['IN'] },
  // Japan, Germany
  jp_seizure_warrant: {
    family: 'search_warrant',
    en: 'Seizure warrant (Code of Criminal Procedure Art. 218)',
    original: '差押許可状',
    jurisdictions: ['JP'],
  },
  jp_inquiry: {
    family: 'letter',
    en: 'Written inquiry on investigation matters (Code of Criminal Procedure Art. 197(2))',
    original: '捜査関係事項照会書',
    jurisdictions: ['JP'],
  },
  jp_record_order_seizure_warrant: {
    family: 'search_warrant',
    en: 'Warrant for seizure with a recording order (Code of Criminal Procedure Arts. 99-2, 218(1))',
    original: '記録命令付差押許可状',
    jurisdictions: ['JP'],
  },
  jp_remote_access_warrant: {
    family: 'search_warrant',
    en: 'Seizure warrant with remote access to connected storage (Code of Criminal Procedure Art. 218(2))',
    original: '差押許可状（刑訴法218条2項・リモートアクセス）',
    jurisdictions: ['JP'],
  },
  jp_preservation_request: {
    family: 'preservation_order',
    en: 'Request to preserve communication history (Code of Criminal Procedure Art. 197(3))',
    original: '通信履歴の保全要請',
    jurisdictions: ['JP'],
  },
  jp_interception_warrant: {
    family: 'interception_order',
    en: 'Interception warrant (Act on Interception of Communications for Criminal Investigation)',
    original: '傍受令状',
    jurisdictions: ['JP'],
  },
  de_stpo_100a_order: {
    family: 'interception_order',
    en: 'Court order for interception of telecommunications (StPO §§ 100a, 100e)',
    original: 'Beschluss nach § 100a StPO',
    jurisdictions: ['DE'],
  },
  de_stpo_100k_order: {
    family: 'court_order',
    en: 'Court order for usage data of digital services (StPO § 100k)',
    original: 'Beschluss nach § 100k StPO',
    jurisdictions: ['DE'],
  },
  de_stpo_94_seizure_order: {
    family: 'search_warrant',
    en: 'Seizure order for data held by the provider (StPO §§ 94, 98)',
    original: 'Beschlagnahmebeschluss nach §§ 94, 98 StPO',
    jurisdictions: ['DE'],
  },
  de_stpo_100g_order: {
    family: 'court_order',
    en: 'Court order for traffic data (StPO § 100g)',
    original: 'Beschluss nach § 100g StPO',
    jurisdictions: ['DE'],
  },
  de_stpo_100j_request: {
    family: 'letter',
    en: 'Request for subscriber data (StPO § 100j)',
    original: 'Bestandsdatenauskunft nach § 100j StPO',
    jurisdictions: ['DE'],
  },
  // Generic forms, one per family: what an agency that names no form gets.
  generic_subpoena: { family: 'subpoena', en: 'Subpoena' },
  generic_court_order: { family: 'court_order', en: 'Court order' },
  generic_search_warrant: { family: 'search_warrant', en: 'Search warrant' },
  generic_interception_order: { family: 'interception_order', en: 'Interception order' },
  generic_communication_confirmation_permit: { family: 'communication_confirmation_permit', en: 'Court permission for traffic data' },
  generic_production_order: { family: 'production_order', en: 'Production order' },
  generic_preservation_order: { family: 'preservation_order', en: 'Preservation order' },
  generic_removal_order: { family: 'removal_order', en: 'Removal order' },
  generic_emergency_request: { family: 'emergency_request', en: 'Emergency request' },
  generic_mlat_request: { family: 'mlat_request', en: 'Mutual legal assistance request' },
  generic_letter: { family: 'letter', en: 'Letter or written request' },
  generic_other: { family: 'other', en: 'Other legal process' },
} as const satisfies Record<string, VocabularyEntry<InstrumentType>>;
export type InstrumentForm = keyof typeof INSTRUMENT_FORMS;
export const INSTRUMENT_FORM_IDS = Object.keys(INSTRUMENT_FORMS) as [InstrumentForm, ...InstrumentForm[]];

/** Who issued or approved the process, as the law names them; each maps to a coarse issuer type. */
export const ISSUER_ROLES = {
  judge: { family: 'court', en: 'Judge or court' },
  investigating_judge: { family: 'court', en: 'Investigating judge', original: "juge d'instruction" },
  judge_of_liberties: { family: 'court', en: 'Judge of liberties and detention', original: 'juge des libertés et de la détention' },
  magistrate_judge: { family: 'court', en: 'Magistrate judge', jurisdictions: ['US'] },
  grand_jury: { family: 'court', en: 'Grand jury', jurisdictions: ['US'] },
  district_court: { family: 'court', en: 'District court', original: '지방법원' },
  high_court_chief_judge: { family: 'court', en: 'Chief judge of a High Court', original: '고등법원 수석판사', jurisdictions: ['KR'] },
  judicial_commissioner: { family: 'court', en: 'Judicial Commissioner', jurisdictions: ['GB'] },
  investigatory_powers_commissioner: {
    family: 'administrative',
    en: 'Investigatory Powers Commissioner (OCDA)',
    jurisdictions: ['GB'],
  },
  designated_senior_officer: {
    family: 'police',
    en: 'Designated senior officer (IPA 2016 s. 61: national security and urgent cases only)',
    jurisdictions: ['GB'],
  },
  secretary_of_state: { family: 'administrative', en: 'Secretary of State', jurisdictions: ['GB'] },
  prosecutor: { family: 'prosecutor', en: 'Prosecutor', original: '검사 / procureur' },
  police: { family: 'police', en: 'Police or judicial police officer' },
  judicial_police_officer: { family: 'police', en: 'Judicial police officer', original: 'officier de police judiciaire' },
  intelligence_agency: { family: 'administrative', en: 'Head of an intelligence agency', original: '정보수사기관의 장' },
  administrative_authority: { family: 'administrative', en: 'Administrative authority' },
  regulator: { family: 'administrative', en: 'Regulator (e.g. KCSC, Arcom, a Digital Services Coordinator)' },
  home_secretary: { family: 'administrative', en: 'Home Secretary (Union or State)', jurisdictions: ['IN'] },
  central_authority: { family: 'administrative', en: 'Central authority for mutual legal assistance' },
  other: { family: 'other', en: 'Other' },
  unknown: { family: 'other', en: 'Not stated' },
} as const satisfies Record<string, VocabularyEntry<IssuerType>>;
export type IssuerRole = keyof typeof ISSUER_ROLES;
export const ISSUER_ROLE_IDS = Object.keys(ISSUER_ROLES) as [IssuerRole, ...IssuerRole[]];

/** The generic issuer role for a coarse issuer type, when the agency named no role. */
export const DEFAULT_ISSUER_ROLE: Record<IssuerType, IssuerRole> = {
  court: 'judge',
  prosecutor: 'prosecutor',
  police: 'police',
  administrative: 'administrative_authority',
  other: 'other',
};

/** Statutory offence lists a rule can test membership of (`"eu_listed" in offence.lists`). */
export const OFFENCE_LISTS = {
  eu_eevidence_art5_4: 'Reg. (EU) 2023/1543 Art. 5(4): offences by means of an information system (fraud, CSAM, cyber-attacks, terrorism)',
  eu_eaw_list: 'Framework Decision 2002/584/JHA Art. 2(2): the 32 listed offences (no double criminality)',
  kr_pcsa_art5_1: 'PCSA Art. 5(1) (통신비밀보호법 제5조 제1항): offences for which interception may be permitted',
  us_2516: '18 U.S.C. 2516: predicate offences for a Title III order',
  fr_crime: 'Crime (not a délit) under French law',
  serious_crime: 'Serious crime as a data access agreement defines it (e.g. US–UK: maximum of 3 years or more)',
  national_security: 'National security offence',
  terrorism: 'Terrorist offence (Directive (EU) 2017/541 or national law)',
  csam: 'Child sexual abuse or exploitation material',
  de_stpo_100a_2: 'StPO § 100a(2): the catalogue of serious offences for interception (Katalogtaten)',
  jp_interception_schedule: 'Act on Interception of Communications, Appended Table (別表): offences for which interception may be ordered',
} as const;
export type OffenceList = keyof typeof OFFENCE_LISTS;
export const OFFENCE_LIST_IDS = Object.keys(OFFENCE_LISTS) as [OffenceList, ...OffenceList[]];

/** Where a request must go instead, when the platform may not answer it as sent. */
export const CHANNELS = {
  mlat: 'Mutual legal assistance (treaty or letters rogatory)',
  budapest_art_29: 'Budapest Convention Art. 29 (expedited preservation through the 24/7 network)',
  budapest_art_31: 'Budapest Convention Art. 31 (mutual assistance for stored data)',
  budapest_p2_art_7: 'Second Additional Protocol Art. 7 (direct order for subscriber information)',
  budapest_p2_art_8: 'Second Additional Protocol Art. 8 (giving effect to a foreign order)',
  budapest_p2_art_9: 'Second Additional Protocol Art. 9 (emergency disclosure through the 24/7 network)',
  cloud_act_agreement: 'A CLOUD Act executive agreement (18 U.S.C. 2523; e.g. US–UK)',
  e_evidence: 'EU e-Evidence (Reg. (EU) 2023/1543: EPOC / EPOC-PR to the designated establishment)',
  other_provider: 'Another provider (the data is held by someone else)',
  home_authority: "The platform's home authorities (a domestic order)",
} as const;
export type Channel = keyof typeof CHANNELS;
export const CHANNEL_IDS = Object.keys(CHANNELS) as [Channel, ...Channel[]];

// ---------------------------------------------------------------------------------------------------------------
// What a form offers an officer of a jurisdiction (pure; the web app imports these, so no zod here).

/** A person's role in the case, as the process states it. */
export const TARGET_ROLES = ['suspect', 'victim', 'witness', 'other', 'unknown'] as const;
export type TargetRole = (typeof TARGET_ROLES)[number];
/** Protected professions or immunities. */
export const PROTECTED_STATUSES = ['journalist', 'lawyer', 'parliamentarian', 'diplomat', 'minor', 'clergy', 'doctor'] as const;
export type ProtectedStatus = (typeof PROTECTED_STATUSES)[number];

const EU_MEMBERS = new Set('AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE'.split(' '));
export const isEuMember = (code: string) => EU_MEMBERS.has(code);
/** Budapest Convention Parties Writ knows of (for the CoE pack and forms), beyond the EU Member States. */
export const COE_PARTIES = new Set(['GB', 'US', 'JP', 'AU', 'CA', 'NO', 'CH', 'UA', 'IL', 'PH', 'SN', 'BR', 'CL', 'AR']);

/** The instrument families (EU, COE) whose forms an agency of this jurisdiction may use, the jurisdiction included. */
function lawsOf(jurisdiction: string): Set<string> {
  const laws = new Set([jurisdiction]);
  if (jurisdiction === 'EU' || isEuMember(jurisdiction)) laws.add('EU');
  if (jurisdiction === 'COE' || isEuMember(jurisdiction) || COE_PARTIES.has(jurisdiction)) laws.add('COE');
  return laws;
}

/** The instrument forms open to an agency of this jurisdiction: its law's, the EU's or COE's where they apply, and the generic ones. */
export function formsFor(jurisdiction: string): InstrumentForm[] {
  const laws = lawsOf(jurisdiction);
  return (Object.keys(INSTRUMENT_FORMS) as InstrumentForm[]).filter((form) => {
    const entry: VocabularyEntry<InstrumentType> = INSTRUMENT_FORMS[form];
    return !entry.jurisdictions || entry.jurisdictions.some((law) => laws.has(law));
  });
}

/** The issuer roles open to this jurisdiction: those its law names and those no one jurisdiction owns. */
export function issuerRolesFor(jurisdiction: string): IssuerRole[] {
  const laws = lawsOf(jurisdiction);
  return (Object.keys(ISSUER_ROLES) as IssuerRole[]).filter((role) => {
    const entry: VocabularyEntry<IssuerType> = ISSUER_ROLES[role];
    return !entry.jurisdictions || entry.jurisdictions.some((law) => laws.has(law));
  });
}

const LIST_LAW: Partial<Record<OffenceList, string>> = {
  eu_eevidence_art5_4: 'EU',
  eu_eaw_list: 'EU',
  kr_pcsa_art5_1: 'KR',
  us_2516: 'US',
  fr_crime: 'FR',
  de_stpo_100a_2: 'DE',
  jp_interception_schedule: 'JP',
};

/** The statutory offence lists that can matter to this jurisdiction: its own, the EU's where it applies, the general ones. */
export function offenceListsFor(jurisdiction: string): OffenceList[] {
  const laws = lawsOf(jurisdiction);
  return OFFENCE_LIST_IDS.filter((list) => {
    const law = LIST_LAW[list];
    return law === undefined || laws.has(law);
  });
}
