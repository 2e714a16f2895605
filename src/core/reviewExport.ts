import { sortAnnotations, type Annotation } from './annotations';
import type { ConceptCoverage } from './conceptCoverage';
import type { SessionRecord } from './session';
import type { RoundSummary } from './summary';

/**
 * The session as a coach would read it, as Markdown: the round, its figures, every turn
 * with its time, the notes made while replaying (with their tags) and the answer-again
 * attempts. Pure, so any later export (PDF, a shared bundle) can reuse it.
 */
export interface ReviewAttempt {
  attempt: number;
  questionTopic: string;
  createdAt: string;
  durationMs: number;
  transcript: { speaker: 'candidate' | 'interviewer'; text: string | null }[];
  coverage: ConceptCoverage[] | null;
}

export function clockLabel(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

function quoteBlock(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

export function renderReviewMarkdown(input: {
  session: SessionRecord;
  summary: RoundSummary;
  annotations: readonly Annotation[];
  attempts: readonly ReviewAttempt[];
}): string {
  const { session, summary } = input;
  const out: string[] = [];
  const interviewer = session.persona.name;
  out.push(`# ${session.round.title} — review`, '');
  out.push(
    `${session.round.loopTitle} · with ${interviewer} (${session.persona.role}) · ${session.createdAt} · ${session.status}`,
    '',
  );
  out.push(
    `Duration ${clockLabel(summary.durationMs)} · you talked ${clockLabel(summary.candidateTalkMs)} · interviewer ${clockLabel(summary.interviewerTalkMs)} · longest pause ${(summary.longestPauseMs / 1000).toFixed(1)} s`,
    '',
  );

  const notes = sortAnnotations(input.annotations);
  out.push(`## Notes (${notes.length})`, '');
  if (notes.length === 0) out.push('No notes yet.', '');
  for (const n of notes) {
    const span =
      n.endMs > n.startMs
        ? `${clockLabel(n.startMs)}–${clockLabel(n.endMs)}`
        : clockLabel(n.startMs);
    out.push(`- **${span}** \`${n.tag}\`${n.note ? ` — ${n.note.replace(/\n+/g, ' ')}` : ''}`);
    if (n.quote) out.push(`  ${quoteBlock(n.quote).replace(/\n/g, '\n  ')}`);
  }
  if (notes.length > 0) out.push('');

  out.push('## Transcript', '');
  if (!session.transcriptAvailable) {
    out.push(
      '_This round ran without a transcript: your turns are timed but not written out._',
      '',
    );
  }
  for (const t of [...session.turns].sort((a, b) => a.startMs - b.startMs)) {
    const who = t.speaker === 'interviewer' ? interviewer : 'You';
    const text =
      t.text === null
        ? `_(spoke for ${Math.round((t.endMs - t.startMs) / 1000)} s, no transcript)_`
        : t.text || '_(nothing heard)_';
    out.push(
      `- **${clockLabel(t.startMs)} ${who}:** ${text}${t.interrupted ? ' _(interrupted)_' : ''}`,
    );
  }
  out.push('');

  if (input.attempts.length > 0) {
    out.push('## Answer again', '');
    for (const a of input.attempts) {
      out.push(`### Attempt ${a.attempt}: ${a.questionTopic}`, '');
      out.push(`${a.createdAt} · ${clockLabel(a.durationMs)}`, '');
      for (const line of a.transcript) {
        const who = line.speaker === 'interviewer' ? interviewer : 'You';
        out.push(`- **${who}:** ${line.text ?? '_(no transcript)_'}`);
      }
      out.push('');
      if (a.coverage) {
        for (const c of a.coverage) out.push(`- [${c.covered ? 'x' : ' '}] ${c.concept}`);
        out.push('');
      }
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
