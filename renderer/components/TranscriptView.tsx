import type { Turn } from '../../src/core/transcript';
import { clock } from '../format';

export function TranscriptView({
  turns,
  interviewerName,
  live,
}: {
  turns: readonly Turn[];
  interviewerName: string;
  live?: string;
}) {
  return (
    <ol className="transcript" aria-label="Transcript">
      {turns.map((t) => (
        <li key={t.id} className={`turn turn-${t.speaker}`}>
          <span className="turn-who">
            {t.speaker === 'interviewer' ? interviewerName : 'You'}{' '}
            <span className="muted">{clock(t.startMs)}</span>
          </span>
          <span className="turn-text">
            {t.text === null ? (
              <em className="muted">
                Spoke for {Math.round((t.endMs - t.startMs) / 1000)} s — no transcript (offline).
              </em>
            ) : (
              t.text || <em className="muted">(nothing heard)</em>
            )}
            {t.interrupted && <span className="tag">interrupted</span>}
          </span>
        </li>
      ))}
      {live && (
        <li className="turn turn-candidate live" aria-live="polite">
          <span className="turn-who">You</span>
          <span className="turn-text">{live}</span>
        </li>
      )}
    </ol>
  );
}
