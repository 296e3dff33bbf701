import { minorUnits } from '../domain/index.ts';
import type { ClaimedMail } from '../store/index.ts';

/** What a notification mail says: the notification's own data (a pointer and the public figures). */
interface MailData {
  type?: string;
  token?: string;
  auctionId?: string;
  itemName?: string;
  currency?: string;
  currentPrice?: number | null;
  price?: number | null;
  deadline?: string | null;
  /** ending_soon: the auction's public view. */
  auction?: { id: string; item?: { name?: string }; endDate?: string; currency?: string; currentPrice?: number | null };
  /** question: the question as published. */
  question?: { text?: string };
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface RenderContext {
  /** `GAVEL_PUBLIC_URL`, without a trailing slash. */
  publicUrl: string;
  /** The one-click unsubscribe link of this mail's kind (notification mails only). */
  unsubscribeUrl: string | null;
}

/** An amount in minor units as people read it ("EUR 1,234.50"): never a hidden maximum, only what is given. */
export function formatAmount(amount: number | null | undefined, currency: string | undefined): string {
  if (amount === null || amount === undefined || currency === undefined) return '—';
  const digits = minorUnits(currency);
  const value = amount / 10 ** digits;
  return `${currency} ${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toUTCString().replace('GMT', 'UTC');
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Renders one mail as plain text and simple HTML (pure). Each says who it is for (the display name), what
 * happened, and links to the auction (or the page the link is for). Amounts are the public price and the
 * recipient's own: the notifications carry nothing else.
 */
export function renderMail(mail: ClaimedMail, ctx: RenderContext): RenderedMail {
  const data = JSON.parse(mail.data) as MailData;
  const auctionId = data.auctionId ?? data.auction?.id ?? mail.auctionId ?? '';
  const itemName = data.itemName ?? data.auction?.item?.name ?? 'your auction';
  const currency = data.currency ?? data.auction?.currency;
  const price = formatAmount(data.currentPrice ?? data.auction?.currentPrice, currency);
  const auctionUrl = `${ctx.publicUrl}/#/auction/${encodeURIComponent(auctionId)}`;
  let subject: string;
  let lines: string[];
  let link: { url: string; label: string };
  switch (mail.kind) {
    case 'verify_email':
      subject = 'Confirm your e-mail address for Gavel';
      lines = [
        'Please confirm that this is your e-mail address. The link works once, for 24 hours.',
        'If you did not ask for this, ignore this mail: nothing changes.',
      ];
      link = {
        url: `${ctx.publicUrl}/verify-email?token=${encodeURIComponent(data.token ?? '')}`,
        label: 'Confirm my address',
      };
      break;
    case 'reset_password':
      subject = 'Reset your Gavel password';
      lines = [
        'Someone (we hope you) asked to reset your password. The link works once, for 1 hour, and signs you out everywhere.',
        'If you did not ask for this, ignore this mail: your password stays as it is.',
      ];
      link = {
        url: `${ctx.publicUrl}/reset-password?token=${encodeURIComponent(data.token ?? '')}`,
        label: 'Choose a new password',
      };
      break;
    case 'outbid':
      subject = `You were outbid on ${itemName}`;
      lines = [`Someone bid more than you on “${itemName}”. The price is now ${price}.`, 'Bid again before it ends.'];
      link = { url: auctionUrl, label: 'Go to the auction' };
      break;
    case 'won':
      subject = `You won ${itemName}`;
      lines = [
        `You won “${itemName}” for ${formatAmount(data.price, currency)}.`,
        `Please pay by ${formatTime(data.deadline)}.`,
      ];
      link = { url: auctionUrl, label: 'Pay now' };
      break;
    case 'payment_due':
      subject = data.type === 'offer_received' ? `A second-chance offer: ${itemName}` : `Payment due for ${itemName}`;
      lines =
        data.type === 'offer_received'
          ? [
              `The winner of “${itemName}” did not pay: it is offered to you for ${formatAmount(data.price, currency)}.`,
              `Accept by ${formatTime(data.deadline)}.`,
            ]
          : [`Please pay ${formatAmount(data.price, currency)} for “${itemName}” by ${formatTime(data.deadline)}.`];
      link = { url: auctionUrl, label: 'Go to the auction' };
      break;
    case 'sold':
      subject = `Sold: ${itemName}`;
      lines = [`Your auction “${itemName}” sold for ${price}. The buyer has been asked to pay.`];
      link = { url: auctionUrl, label: 'See the sale' };
      break;
    case 'ending_soon':
      subject = `Ending soon: ${itemName}`;
      lines = [`“${itemName}” ends at ${formatTime(data.auction?.endDate)}. The price is ${price}.`];
      link = { url: auctionUrl, label: 'Go to the auction' };
      break;
    case 'question':
      subject = `A question about ${itemName}`;
      lines = [
        `Someone asked about “${itemName}”:`,
        `“${data.question?.text ?? ''}”`,
        'Answer it on the auction page.',
      ];
      link = { url: auctionUrl, label: 'Answer the question' };
      break;
    default:
      subject = `News about ${itemName}`;
      lines = [];
      link = { url: auctionUrl, label: 'Go to the auction' };
  }
  const greeting = `Hello ${mail.displayName},`;
  const footer = ctx.unsubscribeUrl
    ? `You get this mail because of your notification settings. Stop these mails: ${ctx.unsubscribeUrl}`
    : null;
  const text = [greeting, '', ...lines, '', `${link.label}: ${link.url}`, ...(footer ? ['', '--', footer] : [])].join(
    '\n',
  );
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">',
    `<p>${escapeHtml(greeting)}</p>`,
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    `<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`,
    ...(ctx.unsubscribeUrl
      ? [
          `<p style="color: #666; font-size: 0.9em">You get this mail because of your notification settings. `,
          `<a href="${escapeHtml(ctx.unsubscribeUrl)}">Stop these mails</a>.</p>`,
        ]
      : []),
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
