import type { ApiParsedRequest } from '../api/contract';
import { ApiError, type CallContext } from '../api/dispatcher';
import type { ModelDownloadState, ModelsResponses, ModelsView } from '../api/modelsContract';
import { LOCAL_MODELS } from '../core/localModels';
import type { Settings } from '../core/settings';
import { ModelDownloadError } from '../storage/modelDownload';
import type { ModelStore } from '../storage/modelStore';

type ModelsMethod = keyof ModelsResponses;
export type ModelsHandlers = {
  [M in ModelsMethod]: (
    request: ApiParsedRequest<M>,
    context: CallContext,
  ) => Promise<ModelsResponses[M]>;
};

/**
 * Settings' speech recognition models: downloads run in the backend (one per model) and
 * report progress through `models.list`; a failed or cancelled one keeps its part for a
 * resume and says what happened.
 */
export class ModelsBackend {
  private readonly downloads = new Map<
    string,
    { state: ModelDownloadState; controller: AbortController | null }
  >();

  private readonly store: ModelStore;
  private readonly settings: () => Promise<Settings>;
  private readonly engine: () => Promise<string | null>;
  private readonly fetchImpl: typeof fetch | undefined;
  private readonly chooseFile: ((clientId: string) => Promise<string | null>) | undefined;

  constructor(options: {
    store: ModelStore;
    settings: () => Promise<Settings>;
    /** Null when whisper.cpp can run here, else why not (see MockloopService). */
    engine: () => Promise<string | null>;
    /** The system's open dialog for a model file (desktop); null when cancelled. */
    chooseFile?: (clientId: string) => Promise<string | null>;
    /** For tests: where downloads are fetched from. */
    fetch?: typeof fetch;
  }) {
    this.store = options.store;
    this.settings = options.settings;
    this.engine = options.engine;
    this.fetchImpl = options.fetch;
    this.chooseFile = options.chooseFile;
  }

  readonly handlers: ModelsHandlers = {
    'models.list': () => this.view(),
    'models.download': async ({ id }) => {
      this.start(id);
      return this.view();
    },
    'models.cancel': async ({ id }) => {
      this.downloads.get(id)?.controller?.abort();
      return this.view();
    },
    'models.import': async ({ path }) => this.importFile(path),
    'models.choose': async (_request, context) => {
      if (!this.chooseFile) {
        throw new ApiError('bad-request', 'Type the path of the model file instead.');
      }
      const path = await this.chooseFile(context.clientId);
      return path ? this.importFile(path) : this.view();
    },
    'models.remove': async ({ id }) => {
      if (this.downloads.get(id)?.state.status === 'running') {
        throw new ApiError('bad-request', 'Cancel the download first.');
      }
      await this.store.remove(id).catch((error: unknown) => {
        throw new ApiError('bad-request', error instanceof Error ? error.message : String(error));
      });
      this.downloads.delete(id);
      return this.view();
    },
  };

  private async importFile(path: string): Promise<ModelsView> {
    await this.store.import(path).catch((error: unknown) => {
      throw new ApiError('failed', error instanceof Error ? error.message : String(error));
    });
    return this.view();
  }

  /** Cancels what is downloading (the backend is shutting down). */
  close(): void {
    for (const d of this.downloads.values()) d.controller?.abort();
  }

  private start(id: string): void {
    const model = LOCAL_MODELS.find((m) => m.id === id);
    if (!model) throw new ApiError('bad-request', `Unknown model "${id}".`);
    if (this.downloads.get(id)?.state.status === 'running') return;
    const controller = new AbortController();
    const entry: { state: ModelDownloadState; controller: AbortController | null } = {
      state: { receivedBytes: 0, totalBytes: model.bytes, status: 'running' },
      controller,
    };
    this.downloads.set(id, entry);
    void this.store
      .download(model, {
        signal: controller.signal,
        onProgress: (p) => {
          entry.state = { ...entry.state, receivedBytes: p.receivedBytes };
        },
        ...(this.fetchImpl ? { fetch: this.fetchImpl } : {}),
      })
      .then(
        () => this.downloads.delete(id),
        (error: unknown) => {
          entry.controller = null;
          entry.state = {
            ...entry.state,
            status:
              error instanceof ModelDownloadError && error.failure === 'cancelled'
                ? 'cancelled'
                : 'failed',
            error: error instanceof Error ? error.message : String(error),
          };
        },
      );
  }

  private async view(): Promise<ModelsView> {
    const installed = this.store.installed();
    const settings = await this.settings();
    const catalog = await Promise.all(
      LOCAL_MODELS.map(async (m) => ({
        id: m.id,
        name: m.name,
        languages: m.languages,
        speed: m.speed,
        memoryMb: m.memoryMb,
        bytes: m.bytes,
        url: m.url,
        installed: installed.some((i) => i.id === m.id),
        partialBytes: await this.store.partial(m),
        download: this.downloads.get(m.id)?.state ?? null,
      })),
    );
    const imported = installed
      .filter((i) => !LOCAL_MODELS.some((m) => m.id === i.id))
      .map((i) => ({
        id: i.id,
        name: i.name,
        languages: 'as the file was trained',
        speed: 'depends on the file',
        memoryMb: 0,
        bytes: i.bytes,
        url: null,
        installed: true,
        partialBytes: 0,
        download: null,
      }));
    const engineProblem = await this.engine();
    const engineAvailable = engineProblem === null;
    return {
      engineAvailable,
      engineProblem,
      canChooseFile: this.chooseFile !== undefined,
      dir: this.store.dir,
      models: [...catalog, ...imported],
      // Nothing is in use where the engine cannot run (a build without it).
      inUse: engineAvailable ? (this.store.chosen(settings.local.sttModel)?.id ?? null) : null,
    };
  }
}

export function modelsHandlers(get: () => ModelsBackend): ModelsHandlers {
  return {
    'models.list': (r, c) => get().handlers['models.list'](r, c),
    'models.download': (r, c) => get().handlers['models.download'](r, c),
    'models.cancel': (r, c) => get().handlers['models.cancel'](r, c),
    'models.import': (r, c) => get().handlers['models.import'](r, c),
    'models.choose': (r, c) => get().handlers['models.choose'](r, c),
    'models.remove': (r, c) => get().handlers['models.remove'](r, c),
  };
}
