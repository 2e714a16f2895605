import { transform } from 'sucrase';
import type { CodeLanguage, RunResult } from '../../../src/core/workspace';
import { pythonWorkerSource, type PythonRuntime } from './pythonSource';
import { workerSource, type ExampleCase } from './workerSource';

/**
 * Runs the candidate's JavaScript or TypeScript away from the app: in a worker started by
 * a sandboxed, opaque-origin frame (renderer/public/sandbox/runner.html) whose policy
 * allows no network, no script loading and no eval. The frame stops the worker when the
 * time limit passes, so an endless loop costs a few seconds, never the round.
 */

export const RUNNABLE: ReadonlySet<CodeLanguage> = new Set(['javascript', 'typescript', 'python']);
export const RUN_TIME_LIMIT_MS = 5_000;
/** Python starts afresh for every run (a stopped run leaves nothing behind): a few seconds. */
const PYTHON_BOOT_LIMIT_MS = 60_000;

let pythonRuntime: Promise<PythonRuntime> | null = null;

/** Pyodide's files, from the app itself (vite.renderer.config.ts copies them); fetched once. */
function loadPythonRuntime(): Promise<PythonRuntime> {
  const get = async (name: string) => {
    const response = await fetch(new URL(`./pyodide/${name}`, document.baseURI));
    if (!response.ok) throw new Error(`${name} is missing (HTTP ${response.status})`);
    return response;
  };
  pythonRuntime ??= Promise.all([
    get('pyodide.asm.mjs').then((r) => r.text()),
    get('pyodide.js').then((r) => r.text()),
    get('pyodide.asm.wasm').then((r) => r.arrayBuffer()),
    get('python_stdlib.zip').then((r) => r.arrayBuffer()),
    get('pyodide-lock.json').then((r) => r.text()),
  ]).then(([asm, loader, wasm, stdlib, lock]) => ({ asm, loader, wasm, stdlib, lock }));
  // A failed load is retried on the next run rather than remembered.
  pythonRuntime.catch(() => (pythonRuntime = null));
  return pythonRuntime;
}

interface SandboxReply {
  type: 'ready' | 'result';
  id?: number;
  result?: Omit<RunResult, 'language'>;
}

export class CodeRunner {
  private readonly frame: HTMLIFrameElement;
  private readonly ready: Promise<void>;
  private readonly pending = new Map<number, (result: Omit<RunResult, 'language'>) => void>();
  private nextId = 0;
  private readonly onMessage: (event: MessageEvent) => void;

  constructor(host: HTMLElement = document.body) {
    this.frame = document.createElement('iframe');
    // allow-scripts without allow-same-origin: an opaque origin, no cookies or storage.
    this.frame.setAttribute('sandbox', 'allow-scripts');
    this.frame.setAttribute('title', 'Code runner (hidden)');
    this.frame.setAttribute('aria-hidden', 'true');
    this.frame.tabIndex = -1;
    this.frame.className = 'code-sandbox';
    this.frame.src = new URL('./sandbox/runner.html', document.baseURI).href;
    let markReady: () => void = () => undefined;
    this.ready = new Promise((resolve) => (markReady = resolve));
    this.onMessage = (event) => {
      // Only our frame speaks this protocol; its origin is "null", so check the window.
      if (event.source !== this.frame.contentWindow) return;
      const data = event.data as SandboxReply;
      if (data?.type === 'ready') markReady();
      if (data?.type === 'result' && typeof data.id === 'number' && data.result) {
        this.pending.get(data.id)?.(data.result);
        this.pending.delete(data.id);
      }
    };
    window.addEventListener('message', this.onMessage);
    host.appendChild(this.frame);
  }

  async run(
    language: CodeLanguage,
    code: string,
    entryPoint: string | null,
    examples: readonly ExampleCase[],
    timeoutMs = RUN_TIME_LIMIT_MS,
  ): Promise<RunResult> {
    if (!RUNNABLE.has(language)) {
      return failed(
        language,
        'Run works for Python, JavaScript and TypeScript; explain other languages by walking an example.',
      );
    }
    let message: Record<string, unknown>;
    try {
      message = await this.prepare(language, code, entryPoint, examples);
    } catch (error) {
      return failed(language, error instanceof Error ? error.message : String(error));
    }
    const started = performance.now();
    const loaded = await Promise.race([
      this.ready.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000)),
    ]);
    if (!loaded)
      return failed(language, 'The code runner did not start. Reload the page and try again.');
    const id = ++this.nextId;
    const result = await new Promise<Omit<RunResult, 'language'>>((resolve) => {
      this.pending.set(id, resolve);
      this.frame.contentWindow?.postMessage({ type: 'run', id, timeoutMs, ...message }, '*');
    });
    return { ...result, language, ms: result.ms || performance.now() - started };
  }

  /** The run message for the sandbox: the worker's script and what it needs. */
  private async prepare(
    language: CodeLanguage,
    code: string,
    entryPoint: string | null,
    examples: readonly ExampleCase[],
  ): Promise<Record<string, unknown>> {
    if (language !== 'python') {
      return { source: workerSource(transpile(language, code), entryPoint, examples) };
    }
    let runtime: PythonRuntime;
    try {
      runtime = await loadPythonRuntime();
    } catch (error) {
      throw new Error(
        `Python is not available: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    return {
      source: pythonWorkerSource(runtime, code, entryPoint, examples),
      bootMs: PYTHON_BOOT_LIMIT_MS,
      // Copied, not transferred: the runtime stays cached for the next run.
      files: { wasm: runtime.wasm, stdlib: runtime.stdlib, lock: runtime.lock },
    };
  }

  dispose(): void {
    window.removeEventListener('message', this.onMessage);
    this.frame.remove();
    this.pending.clear();
  }
}

/** TypeScript loses its types; `import`/`export` become CommonJS the harness provides. */
function transpile(language: CodeLanguage, code: string): string {
  try {
    return transform(code, {
      transforms: language === 'typescript' ? ['typescript', 'imports'] : ['imports'],
      disableESTransforms: true,
    }).code;
  } catch (error) {
    // Sucrase says where: "Unexpected token (3:14)" is line 3, column 14.
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Your code does not parse: ${message}`, { cause: error });
  }
}

function failed(language: CodeLanguage, message: string): RunResult {
  return {
    language,
    outcome: 'error',
    message: message.slice(0, 4000),
    output: '',
    cases: [],
    ms: 0,
  };
}
