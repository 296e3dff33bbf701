import { useEffect, useRef, useState } from 'preact/hooks';
import { formatTime } from '../format.ts';
import type { ChatMessage } from '../live-room.ts';
import { loginHref } from '../router.ts';

const MAX_LENGTH = 500;

/**
 * The room's chat: who is here, the last messages (newest at the bottom, kept in view unless the reader
 * scrolled up), and a line to write on for signed-in viewers. Moderation happens on the server: a refused
 * message comes back as `error`, shown under the input with the text kept for editing.
 */
export function RoomChat(props: {
  auctionId: string;
  messages: ChatMessage[];
  participants: number;
  userId: string | null;
  connected: boolean;
  refusal: string | null;
  onSend(text: string): boolean;
}) {
  const { auctionId, messages, participants, userId, connected, refusal, onSend } = props;
  const [text, setText] = useState('');
  const list = useRef<HTMLOListElement>(null);
  const stuckToBottom = useRef(true);

  useEffect(() => {
    const el = list.current;
    if (el && stuckToBottom.current) el.scrollTop = el.scrollHeight;
  }, [messages.length]);

  const send = (event: Event) => {
    event.preventDefault();
    const trimmed = text.trim();
    if (!trimmed) return;
    if (onSend(trimmed)) setText('');
  };

  return (
    <section class="card room-chat" aria-labelledby="chat-heading">
      <div class="room-chat__head">
        <h2 id="chat-heading" class="card__title">
          Live chat
        </h2>
        <span class="room-chat__count" data-testid="participants" aria-live="polite">
          {participants} in the room
        </span>
      </div>
      <ol
        class="room-chat__messages"
        ref={list}
        data-testid="chat-messages"
        onScroll={(e) => {
          const el = e.currentTarget;
          stuckToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {messages.length === 0 ? <li class="muted small">No messages yet. Say hello.</li> : null}
        {messages.map((m) => (
          <li key={m.id} class={m.userId === userId ? 'is-me' : undefined}>
            <span class="room-chat__who">{m.userId === userId ? 'You' : m.displayName}</span>{' '}
            <time class="muted small" dateTime={m.sentAt}>
              {formatTime(m.sentAt)}
            </time>
            <p class="room-chat__text">{m.text}</p>
          </li>
        ))}
      </ol>
      {userId === null ? (
        <p class="muted small">
          <a href={loginHref(`#/auction/${auctionId}`)}>Log in</a> to chat.
        </p>
      ) : (
        <form class="room-chat__form" onSubmit={send}>
          <label class="visually-hidden" for="chat-input">
            Message
          </label>
          <input
            id="chat-input"
            class="input"
            value={text}
            maxLength={MAX_LENGTH}
            placeholder="Write a message"
            autocomplete="off"
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <button type="submit" class="button" disabled={!connected || text.trim() === ''}>
            Send
          </button>
        </form>
      )}
      {refusal ? (
        <p class="form-error small" role="alert">
          {refusal}
        </p>
      ) : null}
    </section>
  );
}
