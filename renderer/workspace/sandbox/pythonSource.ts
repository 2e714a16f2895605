import { BLOCKED_GLOBALS, type ExampleCase } from './workerSource';

/**
 * The worker that runs the candidate's Python with Pyodide (CPython compiled to
 * WebAssembly, from the `pyodide` npm package, served by the app). The sandbox may fetch
 * nothing, so the runtime's files arrive by postMessage and Pyodide's own loader is handed
 * them through a stand-in `fetch` that knows only those files; once Python is up, the same
 * lockdown as for JavaScript removes network and storage from the worker. Python's `js`
 * module sees an empty object, and its file system is Pyodide's in-memory one: no host
 * files, no Node.
 */

export interface PythonRuntime {
  /** pyodide.asm.mjs: the Emscripten module (text; made part of the worker's script). */
  asm: string;
  /** pyodide.js: the loader (text). */
  loader: string;
  wasm: ArrayBuffer;
  stdlib: ArrayBuffer;
  lock: string;
}

/** Python side of a run: the program in its own namespace, then each example case. */
const HARNESS = String.raw`
import json, time, traceback

def __mockloop_canonical(value):
    def norm(x):
        if x is None or isinstance(x, (bool, str)):
            return x
        if isinstance(x, float) and x.is_integer():
            return int(x)
        if isinstance(x, (int, float)):
            return x
        if isinstance(x, dict):
            return {str(k): norm(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [norm(i) for i in x]
        if isinstance(x, (set, frozenset)):
            items = [norm(i) for i in x]
            try:
                return sorted(items)
            except TypeError:
                return items
        return repr(x)
    return json.dumps(norm(value), sort_keys=True, separators=(',', ':'), ensure_ascii=False)

def __mockloop_run(code, entry, examples_json):
    result = {'outcome': 'ok', 'cases': []}
    namespace = {'__name__': '__main__'}
    try:
        exec(compile(code, '<pad>', 'exec'), namespace)
    except BaseException as e:
        result['outcome'] = 'error'
        result['message'] = ''.join(traceback.format_exception_only(type(e), e)).strip()
        return json.dumps(result)
    examples = json.loads(examples_json)
    if entry and examples:
        fn = namespace.get(entry)
        if not callable(fn):
            result['message'] = 'Define a function named ' + entry + ' to run the examples.'
            return json.dumps(result)
        for example in examples:
            args = json.loads(json.dumps(example['args']))
            expected = __mockloop_canonical(example['expected'])
            started = time.perf_counter()
            try:
                actual = __mockloop_canonical(fn(*args))
                passed = actual == expected
            except BaseException as e:
                actual = 'threw ' + ''.join(traceback.format_exception_only(type(e), e)).strip()
                passed = False
            result['cases'].append({
                'name': example['name'],
                'passed': passed,
                'actual': actual,
                'expected': expected,
                'ms': (time.perf_counter() - started) * 1000,
            })
    return json.dumps(result)
`;

const OUTPUT_LIMIT = 4000;
// Pyodide needs WebAssembly after it has started; the sandbox policy allows nothing else.
const PYTHON_BLOCKED = BLOCKED_GLOBALS.filter((name) => name !== 'WebAssembly');

export function pythonWorkerSource(
  runtime: Pick<PythonRuntime, 'asm' | 'loader'>,
  code: string,
  entryPoint: string | null,
  examples: readonly ExampleCase[],
): string {
  // Our data, passed to Python as values (never pasted into Python source).
  const data = JSON.stringify({
    code,
    entry: entryPoint ?? '',
    examples: JSON.stringify(examples),
    harness: HARNESS,
  });
  // The Emscripten module is an ES module, but a sandboxed (opaque-origin) frame can only
  // start classic workers from its blobs: the default export becomes a plain declaration
  // and \`import.meta.url\` (used only to find files, which arrive by message) the worker's URL.
  const asm = runtime.asm
    .replace(/export\s+default\s+_createPyodideModule\s*;?\s*$/, '')
    .replaceAll('import.meta.url', 'self.location.href');
  return `${asm}
;
${runtime.loader}
;
self.onmessage = async (event) => {
  self.onmessage = null;
  const post = self.postMessage.bind(self);
  const { wasm, stdlib, lock } = event.data;
  const chunks = [];
  let size = 0;
  const write = (text) => {
    if (size >= ${OUTPUT_LIMIT}) return;
    const line = String(text) + '\\n';
    size += line.length;
    chunks.push(line);
  };
  const files = { 'pyodide.asm.wasm': wasm, 'python_stdlib.zip': stdlib };
  // Pyodide loads its runtime by URL; only these in-memory files answer.
  self.fetch = async (url) => {
    const name = String(url).split('/').pop();
    const body = files[name];
    if (!body) throw new TypeError('The sandbox has no network.');
    const type = name.endsWith('.wasm') ? 'application/wasm' : 'application/zip';
    return new Response(body, { headers: { 'Content-Type': type } });
  };
  let python;
  try {
    python = await globalThis.loadPyodide({
      indexURL: 'https://sandbox.invalid/',
      lockFileContents: lock,
      createPyodideModule: _createPyodideModule,
      jsglobals: {},
      stdout: write,
      stderr: write,
      env: { HOME: '/home/candidate' },
    });
  } catch (e) {
    post({ outcome: 'error', message: 'Python could not start: ' + String(e), output: '', cases: [] });
    return;
  }
  const scopes = [];
  for (let o = self; o; o = Object.getPrototypeOf(o)) scopes.push(o);
  for (const name of ${JSON.stringify(PYTHON_BLOCKED)}) {
    for (const scope of scopes) {
      try { delete scope[name]; } catch (e) { /* pinned below */ }
    }
    try {
      Object.defineProperty(self, name, { value: undefined, writable: false, configurable: false });
    } catch (e) { /* already gone */ }
  }
  post({ type: 'started' });
  const data = ${data};
  let result;
  try {
    python.runPython(data.harness);
    const run = python.globals.get('__mockloop_run');
    result = JSON.parse(run(data.code, data.entry, data.examples));
  } catch (e) {
    result = { outcome: 'error', message: String(e && e.message ? e.message : e), cases: [] };
  }
  result.output = chunks.join('');
  post(result);
};
`;
}
