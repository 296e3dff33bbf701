import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import { type PersonalDataOptions, redactPersonalData } from './personal-data.ts';

/**
 * What the built-in rules decide about a text, before anything else sees it:
 * - `refused`: profanity (a question, an answer or a chat message is refused, never stored as published);
 * - `clean`: the text to keep, with personal data already replaced by `[removed]` (`removed` says how many).
 * Either way `text` is the text with personal data replaced: the only form in which it may be stored.
 */
export type ScreenResult =
  { verdict: 'refused'; reason: 'profanity'; text: string } | { verdict: 'clean'; text: string; removed: number };

/**
 * English profanity from `obscenity`'s maintained word list, with its recommended transformers (l33t speak,
 * look-alike characters, repeated letters: `fuuuck`, `ʃṳ𝒸𝗄`) and its whitelist of innocent words that
 * contain a listed one (`assessment`, `Scunthorpe`). Built once: building compiles every pattern.
 */
const profanity = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });

/** Whether the text contains profanity (read after NFKC normalisation, as everything else here). */
export function containsProfanity(text: string): boolean {
  return profanity.hasMatch(text.normalize('NFKC'));
}

/**
 * Numbers standing alone (not touching a letter), blanked before the profanity check: the matcher reads
 * digits as leet speak ("7717" as "ttit"), so lot numbers, prices and dates would otherwise be refused.
 * Digits inside words ("sh1t") still count.
 */
const STANDALONE_NUMBER = /(?<!\p{L})[0-9][0-9\s.,:/-]*(?!\p{L})/gu;

/**
 * The built-in rules, always applied, in this order: personal data is replaced (so that nothing stored,
 * even a refused text its author may read back, holds it in clear), then profanity in what remains refuses
 * the text.
 */
export function screenText(text: string, options: PersonalDataOptions = {}): ScreenResult {
  const redacted = redactPersonalData(text, options);
  if (containsProfanity(redacted.text.replace(STANDALONE_NUMBER, ' ')))
    return { verdict: 'refused', reason: 'profanity', text: redacted.text };
  return { verdict: 'clean', text: redacted.text, removed: redacted.removed };
}
