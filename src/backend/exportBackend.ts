import { createReadStream } from 'node:fs';
import type { ApiParsedRequest } from '../api/contract';
import { ApiError, type CallContext } from '../api/dispatcher';
import type { ExportResponses } from '../api/exportContract';
import { conceptCoverage } from '../core/conceptCoverage';
import { candidateText, questionBlocks } from '../core/questionBlocks';
import { renderReviewMarkdown } from '../core/reviewExport';
import { renderReviewHtml } from '../core/reviewHtml';
import type { RoundPack } from '../core/roundPack';
import type { Scorecard } from '../core/scorecard';
import {
  buildSessionExport,
  exportDownloadPath,
  exportFileName,
  IMPORT_UPLOAD_PATH,
  type ExportedAttempt,
  type ExportedQuestion,
  type ExportFormat,
  type SessionExport,
} from '../core/sessionExport';
import { writeFileAtomic } from '../storage/atomicFile';
import { AnnotationsStore } from '../storage/annotationsStore';
import { AttemptStore } from '../storage/attemptStore';
import { loadRoundPacks } from '../storage/roundPackLoader';
import { sessionDirectory } from '../storage/sessionPaths';
import { readWorkspaceFile } from '../storage/workspaceFile';
import { ScorecardStore } from '../storage/scorecardStore';
import {
  BundleError,
  importSessionBundle,
  planSessionBundle,
  writeSessionBundle,
  writeSessionBundleFile,
  type ImportResult,
} from '../storage/sessionBundle';
import { SessionStore } from '../storage/sessionStore';
import { StorageError } from '../storage/storageError';
import { ChromiumMissingError, findChromium, printHtmlToPdf } from './chromiumPdf';

/**
 * Exports of one session — Markdown, PDF, JSON, bundle — and bundle import, for all three
 * ways in: the API (desktop save/open dialogs; browser mode gets a URL), browser mode's
 * HTTP routes (server/exportRoute.ts) and the command line (src/cli). Reads the session
 * folder directly, so it needs no running round and no other service state.
 */

/** What only the desktop has: file dialogs and Electron's own PDF printer (src/main). */
export interface DesktopFiles {
  /** Asks where to save; null when the user cancelled. */
  chooseSavePath(
    clientId: string,
    suggestedName: string,
    format: ExportFormat,
  ): Promise<string | null>;
  /** Asks which bundle to import; null when the user cancelled. */
  chooseBundle(clientId: string): Promise<string | null>;
  /** Asks for a speech recognition model file (Settings); null when the user cancelled. */
  chooseModelFile(clientId: string): Promise<string | null>;
  printPdf(html: string): Promise<Uint8Array>;
}

export interface ExporterOptions {
  dataDir: string;
  promptsDir: string;
  version: string;
  /** Prints the PDF template; headless Chromium when not given (browser mode, the CLI). */
  printPdf?: (html: string) => Promise<Uint8Array>;
  now?: () => Date;
}

export interface RenderedExport {
  fileName: string;
  contentType: string;
  body: Uint8Array;
}

const CONTENT_TYPES: Record<Exclude<ExportFormat, 'bundle'>, string> = {
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
  pdf: 'application/pdf',
};

export class SessionExporter {
  readonly sessions: SessionStore;
  readonly sessionsDir: string;
  private readonly annotations: AnnotationsStore;
  private readonly attempts: AttemptStore;
  private readonly scorecards: ScorecardStore;

  constructor(private readonly options: ExporterOptions) {
    this.sessions = new SessionStore(options.dataDir);
    this.sessionsDir = this.sessions.sessionsDir;
    this.annotations = new AnnotationsStore(this.sessionsDir);
    this.attempts = new AttemptStore(this.sessionsDir);
    this.scorecards = new ScorecardStore(this.sessionsDir);
  }

  /** Everything the Markdown, PDF and JSON exports hold. */
  async collect(id: string): Promise<SessionExport> {
    const session = await this.sessions.get(id);
    const [notes, cards, pack, attemptList, workspace] = await Promise.all([
      this.annotations.list(id),
      this.scorecards.list(id),
      loadRoundPacks(this.options.promptsDir)
        .then(({ packs }) => packs.find((p) => p.id === session.round.packId) ?? null)
        .catch(() => null),
      this.attempts.list(id),
      readWorkspaceFile(sessionDirectory(this.sessionsDir, id)),
    ]);
    const problems = [...cards.problems, ...attemptList.problems];
    if (workspace.problem) problems.push(workspace.problem);
    const knownTopics = topicsFromScorecards(cards.scorecards);
    if (notes.problem) problems.push(notes.problem);
    const attempts: ExportedAttempt[] = [];
    for (const item of attemptList.attempts) {
      const record = await this.attempts.get(id, Number(item.id)).catch(() => null);
      if (!record) {
        problems.push(`Attempt ${item.id} could not be read.`);
        continue;
      }
      const questionId = record.attemptOf?.questionId ?? null;
      const question = pack?.questions.find((q) => q.id === questionId) ?? null;
      const said = candidateText(record.turns);
      attempts.push({
        attempt: Number(item.id),
        questionId,
        questionTopic:
          question?.topic ??
          (questionId && knownTopics.get(questionId)) ??
          questionId ??
          'question',
        session: record,
        coverage: question && said !== null ? conceptCoverage(question.strongAnswer, said) : null,
      });
    }
    return buildSessionExport({
      session,
      questions: askedQuestions(session, pack, knownTopics),
      annotations: notes.annotations,
      attempts,
      scorecards: cards.scorecards,
      workspace: workspace.workspace,
      problems,
      exportedAt: (this.options.now?.() ?? new Date()).toISOString(),
      appVersion: this.options.version,
    });
  }

  async render(id: string, format: Exclude<ExportFormat, 'bundle'>): Promise<RenderedExport> {
    const data = await this.collect(id);
    const fileName = exportFileName(id, format);
    let body: Uint8Array;
    if (format === 'md') body = Buffer.from(renderReviewMarkdown(data));
    else if (format === 'json') body = Buffer.from(`${JSON.stringify(data, null, 2)}\n`);
    else {
      const html = renderReviewHtml(data);
      body = await (this.options.printPdf ?? ((h: string) => printHtmlToPdf(h)))(html);
    }
    return { fileName, contentType: CONTENT_TYPES[format], body };
  }

  /**
   * Fails early with the reason an export cannot be made (no such session, still
   * recording, no Chromium for a PDF), so browser mode can say so before a download.
   */
  async check(id: string, format: ExportFormat): Promise<void> {
    if (format === 'bundle') await planSessionBundle(this.sessionsDir, id);
    else await this.sessions.get(id);
    if (format === 'pdf' && !this.options.printPdf && !findChromium()) {
      throw new ChromiumMissingError();
    }
  }

  /** Writes the export to `path` (replacing it atomically) and returns its size. */
  async writeFile(id: string, format: ExportFormat, path: string): Promise<{ bytes: number }> {
    if (format === 'bundle') {
      const { bytes } = await writeSessionBundleFile(this.sessionsDir, id, path);
      return { bytes };
    }
    const { body } = await this.render(id, format);
    await writeFileAtomic(path, body);
    return { bytes: body.byteLength };
  }

  /** Streams the session's bundle to `out`; `bytes` is known before the first byte. */
  async bundle(id: string): Promise<{
    fileName: string;
    bytes: number;
    writeTo(out: NodeJS.WritableStream): Promise<unknown>;
  }> {
    const plan = await planSessionBundle(this.sessionsDir, id);
    return {
      fileName: exportFileName(id, 'bundle'),
      bytes: plan.bytes,
      writeTo: (out) => writeSessionBundle(this.sessionsDir, id, out, plan),
    };
  }

  import(
    source: AsyncIterable<Uint8Array>,
    onProgress?: (bytesRead: number) => void,
  ): Promise<ImportResult> {
    return importSessionBundle(this.sessionsDir, source, onProgress ? { onProgress } : {});
  }

  importFile(path: string): Promise<ImportResult> {
    return this.import(createReadStream(path));
  }
}

/**
 * Question topics the scorecards recorded, for a session whose round pack is not installed
 * here (imported from another machine, or a pack since edited).
 */
function topicsFromScorecards(cards: readonly Scorecard[]): Map<string, string> {
  const topics = new Map<string, string>();
  for (const card of cards) {
    if (card.kind === 'model') for (const q of card.questions) topics.set(q.questionId, q.topic);
    if (card.kind === 'offline') {
      for (const q of card.coverage?.questions ?? []) topics.set(q.questionId, q.topic);
    }
  }
  return topics;
}

/** The round's questions in the order this session asked them. */
function askedQuestions(
  session: SessionExport['session'],
  pack: RoundPack | null,
  knownTopics: ReadonlyMap<string, string>,
): ExportedQuestion[] {
  const blocks = questionBlocks(session.turns, {
    untaggedEndsBlock: session.providers.interviewer.kind === 'embedded',
  });
  return blocks.map((block) => {
    const question = pack?.questions.find((q) => q.id === block.questionId);
    const asked = block.turns.find((t) => t.speaker === 'interviewer');
    return {
      id: block.questionId,
      topic: question?.topic ?? knownTopics.get(block.questionId) ?? block.questionId,
      prompt: question?.prompt ?? asked?.text ?? '',
      askedAtMs: block.startMs,
    };
  });
}

/** A storage or bundle failure as the API error the renderer shows. */
export function exportApiError(err: unknown): unknown {
  if (err instanceof StorageError && (err.code === 'not-found' || err.code === 'invalid-id')) {
    return new ApiError('not-found', err.message);
  }
  if (err instanceof BundleError || err instanceof ChromiumMissingError) {
    return new ApiError('failed', err.message);
  }
  return err;
}

type ExportMethod = keyof ExportResponses;
type ExportHandlers = {
  [M in ExportMethod]: (
    request: ApiParsedRequest<M>,
    context: CallContext,
  ) => Promise<ExportResponses[M]>;
};

export interface ExportDeps {
  dataDir: string;
  promptsDir: string;
  version: string;
  /** The desktop's dialogs and printer; absent in browser mode. */
  desktopFiles?: DesktopFiles | undefined;
}

/**
 * The API's export methods, for MockloopService's handler table. `deps` is read on the
 * first call (the table is built before the service's constructor body has run).
 */
export function exportHandlers(deps: () => ExportDeps): ExportHandlers {
  let exporter: SessionExporter | null = null;
  const get = () => {
    const d = deps();
    exporter ??= new SessionExporter({
      dataDir: d.dataDir,
      promptsDir: d.promptsDir,
      version: d.version,
      ...(d.desktopFiles ? { printPdf: (html: string) => d.desktopFiles!.printPdf(html) } : {}),
    });
    return { exporter, desktop: d.desktopFiles };
  };
  return {
    'sessions.export': async ({ id, format }, context) => {
      const { exporter, desktop } = get();
      try {
        await exporter.check(id, format);
        const fileName = exportFileName(id, format);
        if (!desktop) return { kind: 'download', url: exportDownloadPath(id, format), fileName };
        const path = await desktop.chooseSavePath(context.clientId, fileName, format);
        if (!path) return { kind: 'cancelled' };
        const { bytes } = await exporter.writeFile(id, format, path);
        return { kind: 'saved', path, bytes };
      } catch (err) {
        throw exportApiError(err);
      }
    },
    'sessions.import': async (_request, context) => {
      const { exporter, desktop } = get();
      if (!desktop) return { kind: 'upload', url: IMPORT_UPLOAD_PATH };
      const path = await desktop.chooseBundle(context.clientId);
      if (!path) return { kind: 'cancelled' };
      try {
        const { sessionId, record } = await exporter.importFile(path);
        return { kind: 'imported', sessionId, title: record.round.title };
      } catch (err) {
        throw exportApiError(err);
      }
    },
  };
}
