/**
 * The Moderator port: an external moderation service that judges a text the built-in rules have already
 * cleaned (personal data removed). Questions and answers go through it when one is configured
 * (`GAVEL_MODERATION_URL`); chat uses the built-in rules only.
 */
export type ExternalVerdict = 'allow' | 'block';

export interface ModerationItem {
  /** The question's or answer's id: the service may log it; a retry sends the same id. */
  id: string;
  /** Already screened by the built-in rules: no personal data in clear ever leaves Gavel. */
  text: string;
}

export interface Moderator {
  /** Resolves with the service's verdict; rejects with ModerationUnavailableError when there is none. */
  review(item: ModerationItem): Promise<ExternalVerdict>;
}

/**
 * The service gave no verdict: unreachable, an error status, too slow, or an answer that is not one. The
 * item waits in the moderation queue (`pending_review`) and is sent again later; never published unchecked.
 */
export class ModerationUnavailableError extends Error {
  override readonly name = 'ModerationUnavailableError';
}
