import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument, isMap, isSeq, YAMLMap, Scalar } from 'yaml';

const list = (values: unknown[]) => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
const one = (values: unknown[], path: string) => values.length === 1 ? `${path} == ${JSON.stringify(values[0])}` : `${path} in ${list(values)}`;
const notOne = (values: unknown[], path: string) => values.length === 1 ? `${path} != ${JSON.stringify(values[0])}` : `!(${path} in ${list(values)})`;

function clauses(when: Record<string, any>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(when)) {
    switch (key) {
      case 'jurisdiction': out.push(one(value, 'request.jurisdiction')); break;
      case 'jurisdiction_not': out.push(notOne(value, 'request.jurisdiction')); break;
      case 'foreign': out.push(value ? 'request.foreign' : '!request.foreign'); break;
      case 'platform_home': out.push(`platform.home.exists(home, home in ${list(value)})`); break;
      case 'kind': out.push(one(value, 'request.kind')); break;
      case 'kind_not': out.push(notOne(value, 'request.kind')); break;
      case 'instrument': out.push(one(value, 'instrument.type')); break;
      case 'instrument_not': out.push(notOne(value, 'instrument.type')); break;
      case 'issuer': out.push(one(value, 'instrument.issuer')); break;
      case 'issuer_not': out.push(`instrument.issuer != "unknown" && ${notOne(value, 'instrument.issuer')}`); break;
      case 'categories': out.push(one(value, 'category')); break;
      case 'not_held': out.push(value ? '!data.held' : 'data.held'); break;
      case 'never_produced': out.push(value ? 'data.neverProduced' : '!data.neverProduced'); break;
      case 'beyond_retention': out.push(value ? 'data.beyondRetention' : '!data.beyondRetention'); break;
      case 'emergency': out.push(value ? 'request.emergency' : '!request.emergency'); break;
      case 'offence_max_below': out.push(`has(offence.maxPenaltyYears) && offence.maxPenaltyYears < ${value}`); break;
      case 'missing': out.push(value.length === 1 ? `${JSON.stringify(value[0])} in request.missing` : `request.missing.exists(field, field in ${list(value)})`); break;
      case 'targets_at_least': out.push(`request.targetCount >= ${value}`); break;
      case 'received_days_ago_over': out.push(`days(request.receivedAt, at) > ${value}`); break;
      case 'non_disclosure': out.push(value === 'none' ? 'request.gag == "none"' : value === 'ordered' ? 'request.gag != "none"' : 'request.gag == "ordered_without_end"'); break;
      case 'range_days_over': out.push(`has(request.rangeDays) && request.rangeDays > ${value}`); break;
      case 'duplicate': out.push(value ? 'request.duplicateCount > 0' : 'request.duplicateCount == 0'); break;
      case 'vague_targets': out.push(value ? 'request.vagueTargets' : '!request.vagueTargets'); break;
      case 'targets_not_of_kind': out.push(`request.targetKinds.exists(kind, ${notOne(value, 'kind')})`); break;
      case 'agency_not_verified': out.push(value ? 'requester.status in ["pending", "suspended", "blocklisted"]' : '!(requester.status in ["pending", "suspended", "blocklisted"])'); break;
      case 'agency_jurisdiction_mismatch': out.push(value ? 'requester.jurisdictionMismatch' : '!requester.jurisdictionMismatch'); break;
      case 'text_matches': out.push(`TEXT(${JSON.stringify(value).slice(0, 60)})`); break;
      case 'danger_facts_lack': out.push('!request.threatToLife'); break;
      default: throw new Error(key);
    }
  }
  return out;
}

for (const file of process.argv.slice(2)) {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const rules = doc.get('rules') as any;
  if (!isSeq(rules)) continue;
  for (const item of rules.items as YAMLMap[]) {
    const when = item.get('when') as any;
    const js = when.toJSON();
    const cs = clauses(js);
    const node = cs.length === 1 ? doc.createNode(cs[0]) : doc.createNode({ all: cs });
    // replace key 'when' with 'if' at same position
    const pair = item.items.find((p: any) => p.key.value === 'when')!;
    (pair.key as Scalar).value = 'if';
    pair.value = node;
  }
  writeFileSync(file, doc.toString({ lineWidth: 120 }));
}
