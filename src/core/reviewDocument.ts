// Over ~400 lines on purpose: the whole review a coach reads, section by section, as one
// tree that both the Markdown and the PDF render — split up, the order of the sections
// and what each says would be spread over files that must change together.
import type {
  CriterionResult,
  ModelScorecard,
  OfflineScorecard,
  Scorecard,
  SelfScorecard,
} from './scorecard';
import { diagramSvg } from './diagramShapes';
import type { StarPart } from './roundPack';
import type { NoteRecord } from './session';
import type { SessionExport } from './sessionExport';
import { diagramText } from './workspaceText';

/**
 * The session as a coach would read it — round, figures, scorecards, the interviewer's
 * notes, replay notes, the timed transcript and answer-again attempts — as a small tree of
 * blocks. The Markdown export (reviewExport.ts) and the PDF's HTML (reviewHtml.ts) both
 * render this one tree, so the two never disagree about what a session says. Text stays
 * plain here; each renderer escapes it for its own syntax.
 */
export type Inline = string | { strong: string } | { em: string } | { code: string };

export interface ListItem {
  parts: Inline[];
  /** A task-list box: covered / not covered. */
  checked?: boolean;
  /** Quoted text under the item (a note's transcript selection). */
  quote?: string;
  children?: ListItem[];
}

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; parts: Inline[] }
  | { kind: 'list'; items: ListItem[] }
  | { kind: 'table'; head: string[]; rows: string[][] }
  /** Code as written, kept verbatim (the Markdown fences it, the HTML preformats it). */
  | { kind: 'code'; language: string; text: string }
  /**
   * A drawing: `svg` is a complete, already-escaped SVG element (core/diagramShapes.ts)
   * for documents that can show it; `text` says the same in words for those that cannot.
   */
  | { kind: 'figure'; svg: string; text: string };

export interface ReviewDocument {
  title: string;
  blocks: Block[];
}

export function clockLabel(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** "3/4", or why there is no number — never a number the evidence does not back. */
export function criterionScoreLabel(c: Pick<CriterionResult, 'score' | 'status'>): string {
  if (c.status === 'withdrawn') return 'withdrawn';
  if (c.score === null || c.status === 'not-enough-evidence') return 'not enough evidence';
  return `${c.score}/4`;
}

const KIND_TITLE = { model: 'Model scorecard', offline: 'Offline metrics', self: 'Self-review' };

function percent(x: number | null): string {
  return x === null ? '—' : `${Math.round(x * 100)} %`;
}

function secondsLabel(ms: number | null): string {
  return ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function cardHeading(card: Scorecard): string {
  const by = card.kind === 'model' ? ` · ${card.model}` : '';
  return `${KIND_TITLE[card.kind]} (version ${card.version}${by} · ${card.createdAt})`;
}

function modelBlocks(card: ModelScorecard): Block[] {
  const out: Block[] = [{ kind: 'heading', level: 2, text: cardHeading(card) }];
  out.push({
    kind: 'paragraph',
    parts: ['Overall signal: ', { strong: card.overall.signal }],
  });
  if (card.overall.reasons.length > 0) {
    out.push({ kind: 'list', items: card.overall.reasons.map((r) => ({ parts: [r] })) });
  }
  out.push({ kind: 'heading', level: 3, text: 'Criteria' });
  out.push({
    kind: 'list',
    items: card.criteria.map((c) => {
      const children: ListItem[] = c.evidence.map((e) => ({
        parts:
          e.source === 'code'
            ? [{ strong: clockLabel(e.atMs) }, ' in the code: ', { code: e.quote }]
            : [{ strong: clockLabel(e.atMs) }, ` “${e.quote}”`],
      }));
      for (const d of c.droppedQuotes) {
        children.push({ parts: [{ em: `Dropped quote (${d.reason}): “${d.quote}”` }] });
      }
      const claimed =
        c.status === 'withdrawn' && c.claimedScore != null
          ? ` (the scorer claimed ${c.claimedScore}/4, but none of its quotes is in the transcript)`
          : '';
      return {
        parts: [
          { strong: `${c.name} — ${criterionScoreLabel(c)}` },
          `${claimed}${c.rationale ? `: ${c.rationale}` : ''}`,
        ],
        children,
      };
    }),
  });
  if (card.questions.length > 0) {
    out.push({ kind: 'heading', level: 3, text: 'Per-question feedback' });
    out.push({
      kind: 'list',
      items: card.questions.map((q) => ({
        parts: [{ strong: q.topic }],
        children: [
          ...q.strong.map((s) => ({ parts: ['Strong: ', s] })),
          ...(q.missingConcepts.length > 0
            ? [
                {
                  parts: ['Missing: ', q.missingConcepts.join('; ')],
                  children: q.missingConcepts
                    .filter((label) => q.conceptText[label] && q.conceptText[label] !== label)
                    .map((label) => ({ parts: [{ strong: label }, `: ${q.conceptText[label]}`] })),
                },
              ]
            : []),
          ...(q.storyMissing ? [{ parts: [storyLine(q.storyMissing)] }] : []),
          ...(q.outline.length > 0
            ? [{ parts: ['A strong answer: ', q.outline.join(' · ')] }]
            : []),
        ],
      })),
    });
  }
  if (card.tips.length > 0) {
    out.push({ kind: 'heading', level: 3, text: 'Tips for next time' });
    out.push({ kind: 'list', items: card.tips.map((t) => ({ parts: [t] })) });
  }
  return out;
}

function offlineBlocks(card: OfflineScorecard): Block[] {
  const d = card.delivery;
  const fillers = d.fillerWords
    ? `${d.fillerWords.total} (${d.fillerWords.perMinute.toFixed(1)}/min${
        Object.keys(d.fillerWords.byWord).length > 0
          ? `: ${Object.entries(d.fillerWords.byWord)
              .sort((a, b) => b[1] - a[1])
              .map(([w, n]) => `${w} ${n}`)
              .join(', ')}`
          : ''
      })`
    : '— (no transcript)';
  const out: Block[] = [
    { kind: 'heading', level: 2, text: cardHeading(card) },
    {
      kind: 'table',
      head: ['Measure', 'Value'],
      rows: [
        ['Duration', clockLabel(d.durationMs)],
        ['Your talk time', clockLabel(d.candidateTalkMs)],
        ['Interviewer talk time', clockLabel(d.interviewerTalkMs)],
        ['Talk ratio (you)', percent(d.talkRatio)],
        ['Pace', d.wordsPerMinute === null ? '— (no transcript)' : `${d.wordsPerMinute} wpm`],
        ['Filler words', fillers],
        ['Longest pause', secondsLabel(d.pauses.longestMs)],
        ['Median time to answer', secondsLabel(d.pauses.medianResponseMs)],
        ['Slow starts', String(d.pauses.longResponses)],
        ['Answers', String(d.answers.count)],
        ['Median answer', d.answers.medianMs === null ? '—' : clockLabel(d.answers.medianMs)],
        ['Longest answer', d.answers.longestMs === null ? '—' : clockLabel(d.answers.longestMs)],
        [
          'Median answer words',
          d.answers.medianWords === null ? '—' : String(d.answers.medianWords),
        ],
        ['Interruptions', String(d.interruptions)],
      ],
    },
  ];
  if (card.coverage === null) {
    out.push({
      kind: 'paragraph',
      parts: [{ em: 'No transcript: concept coverage was not measured.' }],
    });
    return out;
  }
  const coverageItems = (
    rows: {
      label: string;
      covered: string[];
      missing: string[];
      storyMissing?: StarPart[] | undefined;
    }[],
  ) =>
    rows.map((r) => ({
      parts: [{ strong: r.label }, ` — ${r.covered.length}/${r.covered.length + r.missing.length}`],
      children: [
        ...r.covered.map((c) => ({ parts: [c], checked: true })),
        ...r.missing.map((c) => ({ parts: [c], checked: false })),
        ...(r.storyMissing ? [{ parts: [storyLine(r.storyMissing)] }] : []),
      ],
    }));
  if (card.coverage.questions.length > 0) {
    out.push({ kind: 'heading', level: 3, text: 'Concept coverage by question' });
    out.push({
      kind: 'list',
      items: coverageItems(card.coverage.questions.map((q) => ({ label: q.topic, ...q }))),
    });
  }
  if (card.coverage.criteria.length > 0) {
    out.push({ kind: 'heading', level: 3, text: 'Concept coverage by criterion' });
    out.push({
      kind: 'list',
      items: coverageItems(card.coverage.criteria.map((c) => ({ label: c.name, ...c }))),
    });
  }
  return out;
}

function selfBlocks(card: SelfScorecard): Block[] {
  return [
    { kind: 'heading', level: 2, text: cardHeading(card) },
    {
      kind: 'list',
      items: card.criteria.map((c) => ({
        parts: [
          { strong: `${c.name} — ${c.score === null ? 'not enough evidence' : `${c.score}/4`}` },
          c.note ? `: ${c.note}` : '',
        ],
      })),
    },
  ];
}

function olderLine(card: Scorecard): ListItem {
  const what =
    card.kind === 'model'
      ? `${card.model} · ${card.overall.signal} · ${card.criteria
          .map((c) => `${c.name} ${criterionScoreLabel(c)}`)
          .join(', ')}`
      : card.kind === 'self'
        ? card.criteria
            .map((c) => `${c.name} ${c.score === null ? 'not enough evidence' : `${c.score}/4`}`)
            .join(', ')
        : `talk ratio ${percent(card.delivery.talkRatio)} · ${
            card.delivery.wordsPerMinute === null
              ? 'no pace'
              : `${card.delivery.wordsPerMinute} wpm`
          }`;
  return {
    parts: [
      { strong: `${KIND_TITLE[card.kind]} v${card.version}` },
      ` · ${card.createdAt} · ${what}`,
    ],
  };
}

function scorecardBlocks(data: SessionExport): Block[] {
  const byVersion = (v: number | null) => data.scorecards.find((c) => c.version === v);
  const model = byVersion(data.latestScorecards.model);
  const offline = byVersion(data.latestScorecards.offline);
  const self = byVersion(data.latestScorecards.self);
  const out: Block[] = [];
  if (model?.kind === 'model') out.push(...modelBlocks(model));
  else {
    out.push(
      { kind: 'heading', level: 2, text: 'Model scorecard' },
      { kind: 'paragraph', parts: [{ em: 'Not scored by a model yet.' }] },
    );
  }
  if (offline?.kind === 'offline') out.push(...offlineBlocks(offline));
  if (self?.kind === 'self') out.push(...selfBlocks(self));
  const shown = new Set([model, offline, self].filter(Boolean));
  const older = data.scorecards.filter((c) => !shown.has(c)).reverse();
  if (older.length > 0) {
    out.push({ kind: 'heading', level: 2, text: `Earlier scorecards (${older.length})` });
    out.push({ kind: 'list', items: older.map(olderLine) });
  }
  return out;
}

const STAR_NAME: Record<StarPart, string> = {
  situation: 'situation',
  task: 'task',
  action: 'own action',
  result: 'measured result',
};

export function storyLine(missing: readonly StarPart[]): string {
  return missing.length === 0
    ? 'STAR: situation, task, own action and a measured result all told'
    : `STAR: missing ${missing.map((p) => STAR_NAME[p]).join(', ')}`;
}

function noteItem(n: NoteRecord, topic: string): ListItem {
  const head: Inline[] = [{ strong: clockLabel(n.atMs) }, ` ${topic}`];
  if (n.points.length === 0 && !n.storyMissing) {
    return { parts: [...head, ` — ${n.kind}: ${n.text}`] };
  }
  const children: ListItem[] = n.points.map((p) => ({
    checked: p.covered,
    parts: [p.label, ...(p.atMs !== undefined ? [` (${clockLabel(p.atMs)})`] : [])],
    ...(p.phrase ? { quote: p.phrase } : {}),
  }));
  if (n.storyMissing) children.push({ parts: [storyLine(n.storyMissing)] });
  return { parts: head, children };
}

function hiddenNotesBlocks(data: SessionExport): Block[] {
  const notes = [...data.session.notes].sort((a, b) => a.atMs - b.atMs);
  const topic = (id: string) => data.questions.find((q) => q.id === id)?.topic ?? id;
  const out: Block[] = [{ kind: 'heading', level: 2, text: "Interviewer's notes" }];
  if (notes.length === 0) {
    out.push({ kind: 'paragraph', parts: [{ em: 'The interviewer left no notes.' }] });
    return out;
  }
  out.push({ kind: 'list', items: notes.map((n) => noteItem(n, topic(n.questionId))) });
  // The labels in full, once per question, for a reader who wants the whole concept.
  const full = new Map<string, Map<string, string>>();
  for (const n of notes) {
    for (const p of n.points) {
      if (p.concept === p.label) continue;
      const byLabel = full.get(n.questionId) ?? new Map<string, string>();
      byLabel.set(p.label, p.concept);
      full.set(n.questionId, byLabel);
    }
  }
  if (full.size > 0) {
    out.push({ kind: 'heading', level: 3, text: 'Key points in full' });
    out.push({
      kind: 'list',
      items: [...full].map(([id, byLabel]) => ({
        parts: [{ strong: topic(id) }],
        children: [...byLabel].map(([label, text]) => ({
          parts: [{ strong: label }, `: ${text}`],
        })),
      })),
    });
  }
  return out;
}

export function reviewDocument(data: SessionExport): ReviewDocument {
  const { session, summary } = data;
  const interviewer = session.persona.name;
  const title = `${session.round.title} — review`;
  const blocks: Block[] = [{ kind: 'heading', level: 1, text: title }];
  blocks.push({
    kind: 'paragraph',
    parts: [
      `${session.round.loopTitle} · with ${interviewer} (${session.persona.role}) · ${session.createdAt} · ${session.status}`,
    ],
  });
  const figures = [
    `Duration ${clockLabel(summary.durationMs)}`,
    `you talked ${clockLabel(summary.candidateTalkMs)}`,
    `interviewer ${clockLabel(summary.interviewerTalkMs)}`,
    `longest pause ${(summary.longestPauseMs / 1000).toFixed(1)} s`,
    `${plural(summary.candidateTurns, 'answer')}`,
  ];
  if (summary.wordsPerMinute !== null) figures.push(`${summary.wordsPerMinute} wpm`);
  if (summary.fillerWords) figures.push(`${plural(summary.fillerWords.total, 'filler word')}`);
  blocks.push({ kind: 'paragraph', parts: [figures.join(' · ')] });
  if (data.problems.length > 0) {
    blocks.push({
      kind: 'list',
      items: data.problems.map((p) => ({ parts: [{ em: `Not included: ${p}` }] })),
    });
  }

  blocks.push(...scorecardBlocks(data));
  blocks.push(...hiddenNotesBlocks(data));

  blocks.push({ kind: 'heading', level: 2, text: `Notes (${data.annotations.length})` });
  if (data.annotations.length === 0) blocks.push({ kind: 'paragraph', parts: ['No notes yet.'] });
  else {
    blocks.push({
      kind: 'list',
      items: data.annotations.map((n) => {
        const span =
          n.endMs > n.startMs
            ? `${clockLabel(n.startMs)}–${clockLabel(n.endMs)}`
            : clockLabel(n.startMs);
        return {
          parts: [
            { strong: span },
            ' ',
            { code: n.tag },
            n.note ? ` — ${n.note.replace(/\n+/g, ' ')}` : '',
          ],
          ...(n.quote ? { quote: n.quote } : {}),
        };
      }),
    });
  }

  blocks.push(...workspaceBlocks(data));

  blocks.push({ kind: 'heading', level: 2, text: 'Transcript' });
  if (!session.transcriptAvailable) {
    blocks.push({
      kind: 'paragraph',
      parts: [
        { em: 'This round ran without a transcript: your turns are timed but not written out.' },
      ],
    });
  }
  blocks.push({
    kind: 'list',
    items: [...session.turns]
      .sort((a, b) => a.startMs - b.startMs)
      .map((t) => {
        const who = t.speaker === 'interviewer' ? interviewer : 'You';
        const text: Inline =
          t.text === null
            ? { em: `(spoke for ${Math.round((t.endMs - t.startMs) / 1000)} s, no transcript)` }
            : t.text || { em: '(nothing heard)' };
        return {
          parts: [
            { strong: `${clockLabel(t.startMs)} ${who}:` },
            ' ',
            text,
            ...(t.interrupted ? [' ', { em: '(interrupted)' }] : []),
          ],
        };
      }),
  });

  if (data.attempts.length > 0) {
    blocks.push({ kind: 'heading', level: 2, text: 'Answer again' });
    for (const a of data.attempts) {
      blocks.push({ kind: 'heading', level: 3, text: `Attempt ${a.attempt}: ${a.questionTopic}` });
      blocks.push({
        kind: 'paragraph',
        parts: [`${a.session.createdAt} · ${clockLabel(a.session.durationMs)}`],
      });
      blocks.push({
        kind: 'list',
        items: a.session.turns.map((t) => ({
          parts: [
            {
              strong: `${clockLabel(t.startMs)} ${t.speaker === 'interviewer' ? interviewer : 'You'}:`,
            },
            ' ',
            t.text ?? { em: '(no transcript)' },
          ],
        })),
      });
      if (a.coverage) {
        blocks.push({
          kind: 'list',
          items: a.coverage.map((c) => ({ parts: [c.label ?? c.concept], checked: c.covered })),
        });
      }
    }
  }
  return { title, blocks };
}

/** The coding pad's final code and last run, or the whiteboard's final drawing. */
function workspaceBlocks(data: SessionExport): Block[] {
  const ws = data.workspace;
  if (!ws) return [];
  const out: Block[] = [];
  if (ws.finalCode && ws.finalCode.code.trim() !== '') {
    out.push({
      kind: 'heading',
      level: 2,
      text: `Final code (${ws.finalCode.language}, at ${clockLabel(ws.finalCode.atMs)})`,
    });
    out.push({ kind: 'code', language: ws.finalCode.language, text: ws.finalCode.code });
  }
  if (ws.lastRun) {
    const run = ws.lastRun;
    const passed = run.cases.filter((c) => c.passed === true).length;
    out.push({
      kind: 'paragraph',
      parts: [
        { strong: `Last run at ${clockLabel(run.atMs)}:` },
        ` ${run.outcome}`,
        run.cases.length > 0 ? `, ${passed} of ${run.cases.length} examples passed` : '',
        ` (${Math.round(run.ms)} ms)`,
      ],
    });
  }
  const drawing = ws.finalDiagram;
  const svg = drawing ? diagramSvg(drawing.elements) : null;
  if (drawing && svg) {
    out.push({
      kind: 'heading',
      level: 2,
      text: `Final whiteboard (at ${clockLabel(drawing.atMs)})`,
    });
    out.push({ kind: 'figure', svg, text: diagramText(drawing.elements) });
  }
  return out;
}
