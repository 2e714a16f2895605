/**
 * Builds the script a sandbox worker runs: a lockdown, then the candidate's (already
 * transpiled) JavaScript, then a harness that calls the question's function on each
 * example case and posts back what came out.
 *
 * The code is placed in the script rather than eval'd because the sandbox's policy has no
 * 'unsafe-eval' (renderer/public/sandbox/runner.html). The lockdown is the second layer
 * behind that policy (which already refuses every fetch, connection and script URL):
 * network and storage constructors are deleted from the worker's global object and every
 * prototype on its chain, then pinned as undefined, so they cannot be recovered through
 * `Object.getPrototypeOf(self)`. There is no Node in a browser worker: `process`,
 * `require` and the file system simply do not exist there.
 */

export interface ExampleCase {
  name: string;
  args: unknown[];
  expected: unknown;
}

/** Names a program could reach the network, storage or other code with. */
export const BLOCKED_GLOBALS = [
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'WebSocketStream',
  'WebTransport',
  'EventSource',
  'importScripts',
  'Worker',
  'SharedWorker',
  'BroadcastChannel',
  'indexedDB',
  'caches',
  'CacheStorage',
  'Request',
  'FileReaderSync',
  'RTCPeerConnection',
  'RTCDataChannel',
  'WebAssembly',
  'postMessage',
] as const;

const OUTPUT_LIMIT = 4000;

export function workerSource(
  program: string,
  entryPoint: string | null,
  examples: readonly ExampleCase[],
): string {
  // Both are ours (a validated identifier, JSON from the round pack), never the candidate's.
  const entry = entryPoint && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(entryPoint) ? entryPoint : null;
  const lookup = entry
    ? `return [typeof ${entry} === 'undefined' ? undefined : ${entry}, exports.${entry}, module.exports.${entry}].find((f) => typeof f === 'function');`
    : 'return undefined;';
  return `const __mockloop = (function () {
  'use strict';
  const post = self.postMessage.bind(self);
  const now = performance.now.bind(performance);
  const chunks = [];
  let size = 0;
  const show = (value) => {
    if (typeof value === 'string') return value;
    try { return JSON.stringify(value) ?? String(value); } catch (e) { return String(value); }
  };
  const write = (...args) => {
    if (size >= ${OUTPUT_LIMIT}) return;
    const line = args.map(show).join(' ') + '\\n';
    size += line.length;
    chunks.push(line);
  };
  const blocked = ${JSON.stringify(BLOCKED_GLOBALS)};
  const scopes = [];
  for (let o = self; o; o = Object.getPrototypeOf(o)) scopes.push(o);
  for (const name of blocked) {
    for (const scope of scopes) {
      try { delete scope[name]; } catch (e) { /* not configurable: pinned below */ }
    }
    try {
      Object.defineProperty(self, name, { value: undefined, writable: false, configurable: false });
    } catch (e) { /* already gone */ }
  }
  const quiet = { log: write, info: write, warn: write, error: write, debug: write, table: write };
  Object.defineProperty(self, 'console', { value: quiet, writable: false, configurable: false });
  return { post, now, output: () => chunks.join('') };
})();
(async () => {
  const result = { outcome: 'ok', output: '', cases: [] };
  const describe = (e) => (e && e.name ? e.name + ': ' + e.message : String(e));
  const canonical = (value) => JSON.stringify(value, (key, v) => {
    if (v instanceof Map) return Object.fromEntries(v);
    if (v instanceof Set) return [...v];
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]));
    }
    return v === undefined ? null : v;
  });
  let entry;
  try {
    // CommonJS names for transpiled \`export\`s, one scope out so the program may reuse them.
    entry = await (function (exports, module) {
      return (async function () {
${program}
;${lookup}
      })();
    })({}, { exports: {} });
  } catch (e) {
    result.outcome = 'error';
    result.message = describe(e);
  }
  const examples = ${JSON.stringify(examples)};
  if (result.outcome === 'ok' && ${JSON.stringify(entry)} !== null && examples.length > 0) {
    if (typeof entry !== 'function') {
      result.message = 'Define a function named ${entry ?? ''} to run the examples.';
    } else {
      for (const example of examples) {
        const args = JSON.parse(JSON.stringify(example.args));
        const started = __mockloop.now();
        let actual;
        let passed;
        try {
          const value = await entry(...args);
          actual = canonical(value) ?? 'undefined';
          passed = actual === canonical(example.expected);
        } catch (e) {
          actual = 'threw ' + describe(e);
          passed = false;
        }
        result.cases.push({
          name: example.name,
          passed,
          actual,
          expected: canonical(example.expected),
          ms: __mockloop.now() - started,
        });
      }
    }
  }
  result.output = __mockloop.output();
  __mockloop.post(result);
})();
`;
}
