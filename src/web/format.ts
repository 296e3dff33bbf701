/** Durations and dates for people. */

/** "7s", "4m 05s", "3h 04m 05s", "2d 3h": precise near the end, short far from it. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${pad(m)}m ${pad(s)}s`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

/** "less than a minute", "15 minutes", "about 2 hours", "3 days": a time left told in words. */
export function formatRoughly(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  if (minutes <= 1) return ms < 60_000 ? 'less than a minute' : '1 minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return hours === 1 ? 'about an hour' : `about ${hours} hours`;
  return `${Math.round(hours / 24)} days`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
export const formatTime = (iso: string) => time.format(new Date(iso));

/** `<input type="datetime-local">` value for an instant, in the browser's time zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return new Date(ms - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/**
 * Another user as text: "alice #K3F9QZ". Display names are not unique (anyone
 * may call themselves "alice"); the tag, derived from the user id, is.
 */
export function formatPublicName(name: { displayName: string; tag: string | null }): string {
  return name.tag ? `${name.displayName} #${name.tag}` : name.displayName;
}
