import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import { type PersonalDataOptions, redactPersonalData } from './personal-data.ts';

/**
 * What the built-in rules decide about a text, before anything else sees it:
 * - `refused`: profanity (a question, an answer or a chat message is refused, never stored as published);
 * - `clean`: the text to keep, with personal data already replaced by `[removed]` (`removed` says how many).
 */
export type ScreenResult =
  { verdict: 'refused'; reason: 'profanity' } | { verdict: 'clean'; text: string; removed: number };

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
 * The built-in rules, always applied, in this order: profanity refuses the text; otherwise personal data is
 * replaced. Profanity is checked on the text as written and on the redacted one (a word split by a phone
 * number stays a word).
 */
export function screenText(text: string, options: PersonalDataOptions = {}): ScreenResult {
  if (containsProfanity(text)) return { verdict: 'refused', reason: 'profanity' };
  const redacted = redactPersonalData(text, options);
  if (redacted.removed > 0 && containsProfanity(redacted.text)) return { verdict: 'refused', reason: 'profanity' };
  return { verdict: 'clean', text: redacted.text, removed: redacted.removed };
}
