/**
 * The DSA Transparency Database's own validation of one statement of reasons, read from its rules
 * (test/fixtures/dsa/dsa_sor_fields_and_enums.json: StatementStoreRequest.php's Laravel rules and Statement.php's
 * enumerations): required, required_if, required_without_all, exclude_unless, in, array, max, regex, url, date_format
 * and date bounds. Returns the fields that break a rule, with the rule.
 */
import { readFileSync } from 'node:fs';

const source = JSON.parse(readFileSync(new URL('../fixtures/dsa/dsa_sor_fields_and_enums.json', import.meta.url), 'utf8')) as {
  store_validation_rules: Record<string, string>;
  enumerations: Record<string, Record<string, string> | string[]>;
};

// EuropeanCountriesService::EUROPEAN_COUNTRY_CODES: the EU and EEA countries (the API documentation's list).
const EUROPEAN_COUNTRY_CODES = [
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
  'IS',
  'LI',
  'NO',
];

function allowed(rule: string): string[] | undefined {
  const enumeration = /Statement::([A-Z_]+)/.exec(rule)?.[1];
  if (enumeration) {
    const values = source.enumerations[enumeration];
    if (!values) throw new Error(`unknown enumeration ${enumeration}`);
    return rule.includes('array_keys') ? Object.keys(values) : (values as string[]);
  }
  if (rule.includes('EUROPEAN_COUNTRY_CODES')) return EUROPEAN_COUNTRY_CODES;
  return undefined;
}

const present = (value: unknown) => value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);

export function validateStatement(statement: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const [field, rules] of Object.entries(source.store_validation_rules)) {
    if (field.includes('.')) continue;
    const value = statement[field];
    const has = present(value);
    const exclusion = /'exclude_unless:(\w+),(\w+)'/.exec(rules);
    if (exclusion && statement[exclusion[1]!] !== exclusion[2]) {
      if (has) problems.push(`${field}: must be absent unless ${exclusion[1]} is ${exclusion[2]}`);
      continue;
    }
    if (/'required'/.test(rules) && !has) problems.push(`${field}: required`);
    const requiredIf = /'required_if:(\w+),(\w+)'/.exec(rules);
    if (requiredIf && statement[requiredIf[1]!] === requiredIf[2] && !has)
      problems.push(`${field}: required when ${requiredIf[1]} is ${requiredIf[2]}`);
    const without = /'required_without_all:([\w,]+)'/.exec(rules);
    if (without && !has && without[1]!.split(',').every((other) => !present(statement[other]))) {
      problems.push(`${field}: required when none of ${without[1]} is given`);
    }
    if (
      field === 'content_type_other' &&
      Array.isArray(statement.content_type) &&
      statement.content_type.includes('CONTENT_TYPE_OTHER') &&
      !has
    ) {
      problems.push('content_type_other: required with CONTENT_TYPE_OTHER');
    }
    if (
      field === 'decision_visibility_other' &&
      Array.isArray(statement.decision_visibility) &&
      statement.decision_visibility.includes('DECISION_VISIBILITY_OTHER') &&
      !has
    ) {
      problems.push('decision_visibility_other: required with DECISION_VISIBILITY_OTHER');
    }
    if (!has) continue;
    if (/'array'/.test(rules) && !Array.isArray(value)) problems.push(`${field}: must be an array`);
    const values = allowed(rules);
    if (values) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (!values.includes(String(item))) problems.push(`${field}: ${String(item)} is not an allowed value`);
      }
    }
    const max = /'max:(\d+)'/.exec(rules);
    if (max && typeof value === 'string' && value.length > Number(max[1])) problems.push(`${field}: longer than ${max[1]}`);
    const regex = /'regex:\/(.+)\/D?'/.exec(rules);
    if (regex && typeof value === 'string' && !new RegExp(regex[1]!).test(value)) problems.push(`${field}: does not match ${regex[1]}`);
    if (/'url'/.test(rules) && typeof value === 'string' && !/^https?:\/\/\S+$/.test(value)) problems.push(`${field}: not a URL`);
    if (/'date_format:Y-m-d'/.test(rules)) {
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
        problems.push(`${field}: not Y-m-d`);
      const after = /'after_or_equal:(\d{4}-\d{2}-\d{2})'/.exec(rules);
      const before = /'before_or_equal:(\d{4}-\d{2}-\d{2})'/.exec(rules);
      if (after && typeof value === 'string' && value < after[1]!) problems.push(`${field}: before ${after[1]}`);
      if (before && typeof value === 'string' && value > before[1]!) problems.push(`${field}: after ${before[1]}`);
    }
  }
  for (const field of Object.keys(statement)) {
    if (!(field in source.store_validation_rules) && !['platform_name', 'permalink', 'end_date_visibility_restriction'].includes(field)) {
      problems.push(`${field}: not a field of a statement`);
    }
  }
  return problems;
}
