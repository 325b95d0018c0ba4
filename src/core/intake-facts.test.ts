import { describe, expect, it } from 'vitest';
import { formFor, issuerFor, noticeFacts } from './intake-facts.ts';
import { formsFor, issuerRolesFor, offenceListsFor } from './review/vocabulary.ts';

const base = {
  jurisdiction: 'KR',
  instrumentType: null,
  court: null,
  requestingAgency: null,
  legalBasis: [],
  isRenewal: null,
  dateRange: null,
  receivedAt: '2026-11-20T09:00:00Z',
};

describe('facts a notice states', () => {
  it('names a form only when the jurisdiction leaves one for the instrument type', () => {
    expect(formFor('KR', 'search_warrant')).toBe('kr_search_warrant');
    expect(formFor('US', 'search_warrant')).toBe('us_search_warrant');
    // 2703(d), pen/trap and 2705(b) are all court orders: the notice must say which.
    expect(formFor('US', 'court_order')).toBeUndefined();
    expect(formFor('KR', 'not_a_type')).toBeUndefined();
    expect(formFor('KR', null)).toBeUndefined();
  });

  it('takes the issuer from a named court first, then from the requesting body’s name', () => {
    expect(issuerFor('Seoul Central District Court', 'Seoul Police')).toEqual({ type: 'court', role: 'district_court' });
    expect(issuerFor('서울중앙지방법원', null)).toEqual({ type: 'court', role: 'district_court' });
    expect(issuerFor('Superior Court of California', null)).toEqual({ type: 'court', role: 'judge' });
    expect(issuerFor(null, 'Seoul Central District Prosecutors’ Office')).toEqual({ type: 'prosecutor', role: 'prosecutor' });
    expect(issuerFor(null, '서울경찰청 사이버수사대')).toEqual({ type: 'police', role: 'police' });
    expect(issuerFor(null, 'Ministry of Culture')).toBeUndefined();
  });

  it('states nothing the notice does not say', () => {
    expect(noticeFacts(base)).toEqual({});
  });

  it('states a renewal, the legal basis, and a range that runs past the notice as the period', () => {
    const stated = noticeFacts({
      ...base,
      instrumentType: 'interception_order',
      legalBasis: ['', ' PCSA Art. 6 '],
      isRenewal: true,
      dateRange: { from: '2026-11-21T00:00:00Z', to: '2027-01-20T23:59:59Z' },
    });
    expect(stated.facts?.instrument).toMatchObject({
      form: 'kr_interception_permit',
      legalBasis: 'PCSA Art. 6',
      renewal: 1,
      validFrom: '2026-11-21T00:00:00Z',
      validUntil: '2027-01-20T23:59:59Z',
    });
    expect(stated.facts?.instrument?.periodDays).toBeCloseTo(61, 0);
    expect(stated.facts?.targets).toBeUndefined();
  });

  it('does not take a range wholly in the past for the period of the measure', () => {
    const stated = noticeFacts({ ...base, dateRange: { from: '2026-09-01T00:00:00Z', to: '2026-10-15T23:59:59Z' } });
    expect(stated.facts).toBeUndefined();
  });
});

describe('vocabulary open to a jurisdiction', () => {
  it('offers its own forms, the EU’s to a member state, and the generic ones; never another country’s', () => {
    expect(formsFor('KR')).toEqual(expect.arrayContaining(['kr_search_warrant', 'generic_court_order']));
    expect(formsFor('KR')).not.toContain('us_2703d_order');
    expect(formsFor('FR')).toEqual(expect.arrayContaining(['eu_epoc', 'generic_letter']));
    expect(formsFor('US')).not.toContain('eu_epoc');
    expect(issuerRolesFor('US')).toContain('grand_jury');
    expect(issuerRolesFor('KR')).not.toContain('grand_jury');
    expect(offenceListsFor('KR')).toEqual(expect.arrayContaining(['kr_pcsa_art5_1', 'terrorism']));
    expect(offenceListsFor('KR')).not.toContain('us_2516');
    expect(offenceListsFor('DE')).toContain('eu_eaw_list');
  });
});
