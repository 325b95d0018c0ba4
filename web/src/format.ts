/** Dates, times, numbers and sizes in the chosen language's conventions (Intl), so 2026. 12. 2. reads as Koreans write it. */
import { useTranslation } from 'react-i18next';

export const localeOf = (language: string): string => (language === 'ko' ? 'ko-KR' : 'en-US');

export function useFormat() {
  const { i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const dateUtc = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const number = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const month = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  const regions = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  return {
    locale,
    dateTime: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—'),
    date: (iso: string | null | undefined) => (iso ? date.format(new Date(iso)) : '—'),
    /** A calendar day (YYYY-MM-DD, or the day of a UTC instant): never shifted by the viewer's time zone. */
    day: (iso: string | null | undefined) => (iso ? dateUtc.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso)) : '—'),
    number: (value: number) => number.format(value),
    /** A published count: exact, the band it was published as ("1–9"), or "—" when it is withheld. */
    count: (value: number | { readonly min: number; readonly max: number } | null) =>
      value === null ? '—' : typeof value === 'number' ? number.format(value) : `${number.format(value.min)}–${number.format(value.max)}`,
    /** A calendar month, YYYY-MM ("Jul 2026", "2026년 7월"). */
    month: (yearMonth: string) => month.format(new Date(`${yearMonth}-01T00:00:00Z`)),
    /** A share from 0 to 1 as a percentage ("37.5%"). */
    percent: (value: number) => percent.format(value),
    /** A jurisdiction's name from its code (KR: South Korea, 대한민국); a code that is not a region (CoE) as written. */
    country: (code: string) => {
      try {
        return regions.of(code) ?? code;
      } catch {
        return code;
      }
    },
    bytes: (value: number) => {
      const unit = value >= 1_000_000 ? 'MB' : value >= 1000 ? 'kB' : 'B';
      const scaled = unit === 'MB' ? value / 1_000_000 : unit === 'kB' ? value / 1000 : value;
      return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 'B' ? 0 : 1 }).format(scaled)} ${unit}`;
    },
    /** How far an instant is from now, in the largest unit that fits ("in 3 hr", "2 days ago"). */
    fromNow: (iso: string, now = Date.now()) => {
      const seconds = (Date.parse(iso) - now) / 1000;
      const abs = Math.abs(seconds);
      if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
      if (abs < 86_400 * 2) return relative.format(Math.round(seconds / 3600), 'hour');
      return relative.format(Math.round(seconds / 86_400), 'day');
    },
    /** A duration without direction ("3 hr", "2 days"), for countdowns. */
    duration: (milliseconds: number) => {
      const abs = Math.abs(milliseconds) / 1000;
      const unit = abs < 3600 ? 'minute' : abs < 86_400 * 2 ? 'hour' : 'day';
      const value = Math.max(1, Math.round(unit === 'minute' ? abs / 60 : unit === 'hour' ? abs / 3600 : abs / 86_400));
      return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
    },
  };
}
