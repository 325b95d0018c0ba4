import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectLanguage, extractFields } from './extract.ts';

const targets = (text: string) => {
  const fields = extractFields(text);
  return Object.fromEntries(Object.entries(fields.targets).map(([kind, list]) => [kind, list.map((entry) => entry.value)]));
};

describe('extraction', () => {
  it('reads defanged URLs and emails as what they stand for', () => {
    const found = targets(
      'The phishing page hxxps://login-bank[.]example/verify and the drop box scam.collector[at]proton[.]me belong to the suspect.',
    );
    expect(found.urls).toEqual(['https://login-bank.example/verify']);
    expect(found.emails).toEqual(['scam.collector@proton.me']);
  });

  it('does not take a template’s placeholders for targets', () => {
    const found = targets('Target account: real_target_9. Contact the officer at name@email.com or (999) 999-9999, or 123-456-7890.');
    expect(found.emails).toEqual([]);
    expect(found.phone_numbers).toEqual([]);
  });

  it('normalises phone numbers to E.164 with the country the notice is from', () => {
    const found = targets('Seoul Metropolitan Police Agency. The suspect account is registered to 010-2345-6789.');
    expect(found.phone_numbers).toEqual(['+821023456789']);
  });

  it('finds IP addresses with the time each was used', () => {
    const fields = extractFields('The account logged in from 198.51.100.23 on 2025-02-03 14:05 UTC and from 2001:db8::5 later.');
    expect(fields.targets.ip_addresses.map((entry) => entry.value)).toEqual(['198.51.100.23', '2001:db8::5']);
    expect(fields.ipTimes[0]?.value).toEqual({ ip: '198.51.100.23', time: '2025-02-03T14:05' });
  });

  it('tells a real emergency from urgent wording', () => {
    expect(extractFields('Please remove this post urgently, as soon as possible.').isEmergency.value).toBe(false);
    expect(extractFields('Please remove this post urgently, as soon as possible.').urgencyClaimed.value).toBe(true);
    const emergency = extractFields(
      'There is an imminent threat to life: the user said he will kill his wife tonight. Provide his subscriber information.',
    );
    expect(emergency.isEmergency.value).toBe(true);
    expect(emergency.kind?.value).toBe('emergency');
  });

  it('reads each of its languages', () => {
    expect(detectLanguage('서울경찰청 사이버수사과입니다')).toBe('ko');
    expect(detectLanguage('中国公安部网络安全保卫局')).toBe('zh');
    expect(detectLanguage('Прошу предоставить сведения о пользователе')).toBe('ru');
    expect(detectLanguage('Se solicita que se facilite la información del usuario de la cuenta')).toBe('es');
    expect(extractFields('아이디: minsu_88 의 가입자 정보 제공을 요청합니다.').targets.usernames.map((entry) => entry.value)).toEqual([
      'minsu_88',
    ]);
    expect(extractFields('用户名：abc_123，请提供注册信息。').targets.usernames.map((entry) => entry.value)).toEqual(['abc_123']);
    expect(extractFields('пользователь с логином: ivan_77, период с 1 января 2025 г. по 31 января 2025 г.').dateRange?.value).toEqual({
      start: '2025-01-01',
      end: '2025-01-31',
    });
  });

  it('counts a deadline written as a time from when the message was sent, in each language', () => {
    const sentAt = '2025-03-01T00:00:00.000Z';
    for (const text of [
      'Please respond within 10 days.',
      '10일 이내에 회신 바랍니다.',
      '请于10日内回复。',
      'en un plazo de 10 días',
      'Ответ просим направить в течение 10 дней.',
    ]) {
      expect(extractFields(text, { sentAt }).deadline?.value, text).toBe('2025-03-11T00:00:00.000Z');
    }
    expect(extractFields('Please respond within 48 hours.', { sentAt }).deadline?.value).toBe('2025-03-03T00:00:00.000Z');
  });

  it('gives every value the span it was read from', () => {
    const text = 'Please preserve the account @span_check for case No. 2025-000123.';
    const fields = extractFields(text);
    const username = fields.targets.usernames[0]!;
    expect(text.slice(username.span!.start, username.span!.end)).toBe('span_check');
    expect(text.slice(fields.caseNumber!.span!.start, fields.caseNumber!.span!.end)).toBe('2025-000123');
  });

  it('states the facts the legal review needs where the notice gives them', () => {
    const fields = extractFields('This is a renewal of the preservation for the account @fraud_case_1, used for access device fraud.');
    expect(fields.offence?.value).toBe('access device fraud');
    expect(fields.isRenewal?.value).toBe(true);
    expect(extractFields('Please disclose subscriber data for @someone.').offence ?? null).toBeNull();
  });

  it('keeps what a scan wrote beside the value read from it', () => {
    const fields = extractFields('The suspect account logged in from l98.51.100.O7 on that day.');
    const ip = fields.targets.ip_addresses[0]!;
    expect(ip.value).toBe('198.51.100.7');
    expect(ip.written).toBe('l98.51.100.O7');
    expect(ip.note).toMatch(/OCR/);
  });

  it('never throws on any text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 3000, unit: 'grapheme' }),
        fc.option(fc.date({ noInvalidDate: true }), { nil: undefined }),
        (text, sent) => {
          const fields = extractFields(text, { sentAt: sent?.toISOString() });
          for (const list of Object.values(fields.targets))
            for (const entry of list) expect(entry.span === null || entry.span.end <= text.length).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
