/** The mail outbox's rules that both adapters apply alike (store.ts, claimMails). */

/** The notification kinds a user can turn off (the others, links to an address, always go). */
export const NOTIFICATION_MAIL_KINDS: readonly string[] = [
  'outbid',
  'won',
  'payment_due',
  'sold',
  'ending_soon',
  'question',
];

/**
 * Whether a due mail is still to be sent, and why not (shared by both adapters: the rule is the port's).
 * `recentOutbid` tells whether another outbid mail of the pair went out within the window or is in flight.
 */
export function skipReason(
  row: { kind: string; to_address: string | null; email: string | null; mail_off: string[] },
  recentOutbid: () => boolean,
): string | null {
  if (row.to_address === null && row.email === null) return 'no verified address';
  if (row.to_address === null && row.mail_off.includes(row.kind)) return `${row.kind} mails are turned off`;
  if (row.kind === 'outbid' && recentOutbid())
    return 'an outbid mail of this auction went out less than 15 minutes ago';
  return null;
}
