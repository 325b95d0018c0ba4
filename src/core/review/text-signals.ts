/**
 * What free text still says, read with negation: "no threat to anyone's life" says nothing about a threat to life.
 * Facts the agency states outright (`facts.emergency.threatToLife`, `facts.offence.speech`, ...) always win over what
 * the text suggests; these signals only fill what the facts leave open. A mention counts when it is not negated in
 * its own clause: an English cue (no, not, never, without, ...) before it, or a Korean one (없다, 아니다, 않다, ...)
 * after it.
 */

const CLAUSE_BREAK =
  /[.;!?\n]+|,\s*(?:but|however|yet|although|though)\b|\s+(?:but|however|although|though|whereas)\s+|(?:지만|으나|는데)\s/iu;
const EN_NEGATION =
  /\b(?:no|not|never|none|nobody|nothing|neither|nor|without|cannot|can't|isn't|aren't|wasn't|weren't|doesn't|don't|didn't|hasn't|haven't|hadn't|won't|lack(?:s|ing)?|absence of|free of|denie[sd]|deny|ruled out|unrelated to|rather than|instead of)\b/iu;
const KO_NEGATION = /(?:없[다고는으음었어습지니]|없$|아니|아닙|아님|않|못\s?[한하했]|무관)/u;

// One regular expression per list of patterns (their alternation), compiled once.
const compiled = new WeakMap<readonly string[], RegExp>();
const pattern = (sources: readonly string[]) => {
  let found = compiled.get(sources);
  if (!found) compiled.set(sources, (found = new RegExp(sources.map((source) => `(?:${source})`).join('|'), 'giu')));
  found.lastIndex = 0;
  return found;
};

/** Whether any pattern matches some clause of the text where it is not negated. */
export function mentions(text: string, patterns: readonly string[]): boolean {
  if (!text) return false;
  for (const clause of text.split(CLAUSE_BREAK)) {
    if (!clause) continue;
    const regex = pattern(patterns);
    for (let match = regex.exec(clause); match; match = regex.exec(clause)) {
      const before = clause.slice(0, match.index);
      const after = clause.slice(match.index + match[0].length);
      if (!EN_NEGATION.test(before) && !KO_NEGATION.test(after)) return true;
      if (match[0].length === 0) regex.lastIndex += 1;
    }
  }
  return false;
}

/** The words that suggest each signal. Kept here, not in the packs: packs read facts, never text. */
export const SIGNAL_PATTERNS = {
  threatToLife: [
    'death',
    '\\bdie\\b',
    'kill',
    'murder',
    'suicid',
    'self-harm',
    'injur',
    '\\blife\\b',
    '\\blives\\b',
    'weapon',
    '\\bgun\\b',
    'bomb',
    'explos',
    'abduct',
    'kidnap',
    'hostage',
    'missing (child|person|minor)',
    'overdose',
    'attack',
    '사망',
    '살해',
    '자살',
    '자해',
    '생명',
    '부상',
    '흉기',
    '폭발',
    '납치',
    '인질',
    '실종',
  ],
  network: [
    'all (the )?members',
    'everyone in',
    'every member',
    'members of (the )?(group|chat|channel)',
    'contact (list|network)',
    'contacts of',
    'followers',
    'friends list',
    '단체방',
    '구성원 전원',
    '참여자 전원',
    '모든 회원',
    '연락처 목록',
    '친구 목록',
  ],
  speech: [
    'false (rumou?r|news|information)',
    'fake news',
    'rumou?r',
    'insult',
    'defam',
    'slander',
    'libel',
    'head of state',
    'lèse|lese[- ]majest',
    'disrespect',
    '허위사실',
    '유언비어',
    '가짜뉴스',
    '모욕',
    '명예훼손',
    '국가원수',
    '대통령',
  ],
  protectedGroup: [
    'journalis',
    'reporter',
    'newspaper',
    'broadcaster',
    'political party',
    'opposition',
    'activist',
    'protest',
    'demonstrat',
    'union leader',
    'human rights defender',
    '기자',
    '언론',
    '정당',
    '야당',
    '시위',
    '활동가',
    '노조',
  ],
  journalist: ['journalis', 'reporter', 'source of a story', '기자', '언론'],
  terrorism: ['terror', '테러'],
} as const;
export type Signal = keyof typeof SIGNAL_PATTERNS;

export const signal = (text: string, name: Signal): boolean => mentions(text, SIGNAL_PATTERNS[name]);
