/**
 * Extraction: the fields of a draft request, found in a message's reading text, each with the span it was read from
 * and a confidence. Rules, not a model: every value can be traced to its words, and the desk confirms every field.
 * Built for notices in general — letters from police, ministries, regulators and courts, in several languages, clean
 * or scanned — not for any one sender's layout.
 *
 * The work is done in stages, one file each under `extract/`: layout (zones and a flowed view of the text) →
 * candidates (every identifier-like value, OCR noise repaired and said) → roles (target, sender's contact, platform,
 * publisher, placeholder…) → fields (agency, kind, dates, legal basis…) → draft. `explain` shows each stage's work.
 */
import type { DraftFields, FieldExtractor } from '../core/intake.ts';
import { extract, type ExtractOptions } from './extract/draft.ts';

export { detectLanguage } from './extract/layout.ts';
export { explain, extract, type ExtractOptions, type Extraction } from './extract/draft.ts';

export function extractFields(reading: string, options: ExtractOptions = {}): DraftFields {
  return extract(reading, options).fields;
}

/** The extractor as a port. */
export const ruleExtractor: FieldExtractor = {
  extract: async (reading, hints) => {
    try {
      return extractFields(reading, hints);
    } catch {
      // A rule that trips over an input must not lose the message: an empty draft is still a draft.
      return extractFields('', {});
    }
  },
};
