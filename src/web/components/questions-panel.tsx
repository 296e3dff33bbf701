import { useEffect, useState } from 'preact/hooks';
import { type Question, roomApi } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { loginHref } from '../router.ts';
import { FormError } from './form-error.tsx';

const STATUS_NOTE: Record<Question['status'], string> = {
  published: '',
  pending_review: 'Waiting for review: only you and the seller see it for now.',
  rejected: 'Not published: it did not pass moderation.',
};

/** A form's submission: busy while it runs, and its error kept for the form to show. */
function useSubmit(action: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

/** Newest first, one entry per question id (a live announcement replaces what was read). */
function merge(current: Question[], incoming: Question[]): Question[] {
  const byId = new Map(current.map((q) => [q.id, q]));
  for (const q of incoming) byId.set(q.id, q);
  return [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * Questions and answers: anyone reads the published ones; a signed-in bidder asks; the seller answers
 * inline. Texts are moderated on the server (personal data replaced, profanity refused, or held for
 * review): what comes back is what is shown. Questions published while the page is open arrive through
 * the live room (`announced`).
 */
export function QuestionsPanel(props: {
  auctionId: string;
  userId: string | null;
  isSeller: boolean;
  announced: Question[];
}) {
  const { auctionId, userId, isSeller, announced } = props;
  const [questions, setQuestions] = useState<Question[]>([]);
  const [text, setText] = useState('');
  const {
    busy,
    error,
    submit: ask,
  } = useSubmit(async () => {
    const { question } = await roomApi.ask(auctionId, text.trim());
    setQuestions((current) => merge(current, [question]));
    setText('');
  });

  useEffect(() => {
    setQuestions([]);
    roomApi.questions(auctionId).then(
      (page) => setQuestions((current) => merge(current, page.items)),
      () => undefined,
    );
  }, [auctionId, userId]);
  useEffect(() => setQuestions((current) => merge(current, announced)), [announced]);

  return (
    <section class="card questions" aria-labelledby="questions-heading">
      <h2 id="questions-heading" class="card__title">
        Questions and answers
      </h2>
      {userId !== null && !isSeller ? (
        <form class="questions__ask" onSubmit={(e) => void ask(e)}>
          <label for="question-input">Ask the seller</label>
          <textarea
            id="question-input"
            class="input"
            rows={2}
            maxLength={2000}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <button type="submit" class="button" disabled={busy || text.trim() === ''}>
            Ask
          </button>
          <FormError error={error} />
        </form>
      ) : userId === null ? (
        <p class="muted small">
          <a href={loginHref(`#/auction/${auctionId}`)}>Log in</a> to ask the seller a question.
        </p>
      ) : null}
      {questions.length === 0 ? <p class="muted">No questions yet.</p> : null}
      <ol class="questions__list" data-testid="questions">
        {questions.map((q) => (
          <QuestionItem
            key={q.id}
            auctionId={auctionId}
            question={q}
            canAnswer={isSeller}
            onAnswered={(updated) => setQuestions((current) => merge(current, [updated]))}
          />
        ))}
      </ol>
    </section>
  );
}

function QuestionItem(props: {
  auctionId: string;
  question: Question;
  canAnswer: boolean;
  onAnswered(q: Question): void;
}) {
  const { auctionId, question: q, canAnswer, onAnswered } = props;
  const [text, setText] = useState('');
  const {
    busy,
    error,
    submit: answer,
  } = useSubmit(async () => {
    onAnswered((await roomApi.answer(auctionId, q.id, text.trim())).question);
    setText('');
  });
  return (
    <li class="questions__item">
      <p class="questions__q">
        <strong>Q:</strong> {q.text}
      </p>
      <p class="muted small">
        <time dateTime={q.createdAt}>{formatDateTime(q.createdAt)}</time> {STATUS_NOTE[q.status]}
      </p>
      {q.answer ? (
        <p class="questions__a">
          <strong>A:</strong> {q.answer.text}
          {q.answer.status !== 'published' ? (
            <span class="muted small"> ({q.answer.status.replace('_', ' ')})</span>
          ) : null}
        </p>
      ) : canAnswer && q.status === 'published' ? (
        <form class="questions__answer" onSubmit={(e) => void answer(e)}>
          <label class="visually-hidden" for={`answer-${q.id}`}>
            Your answer
          </label>
          <input
            id={`answer-${q.id}`}
            class="input"
            placeholder="Answer publicly"
            maxLength={2000}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <button type="submit" class="button" disabled={busy || text.trim() === ''}>
            Answer
          </button>
          <FormError error={error} />
        </form>
      ) : null}
    </li>
  );
}
