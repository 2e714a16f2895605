// Preloaded (`node --require`) into the stand-in Electron's main process and into the
// utility processes (voice, speech recognition). Records every file the app's own code opens or lists — a
// call counts when a bundle under MOCKLOOP_STANDIN_APP_ROOT is on the stack — so the
// tests can check that a packaged app holds everything it reads at run time.
'use strict';
const fs = require('node:fs');
const { fileURLToPath } = require('node:url');
const { resolve } = require('node:path');

const appendFileSync = fs.appendFileSync;
const seen = new Set();

// Read when a file is opened: the launcher learns the app's folder after this is loaded.
function calledByApp(appRoot) {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 100;
  const stack = new Error().stack || '';
  Error.stackTraceLimit = limit;
  return stack.split('\n').some((line) => line.includes(appRoot) && !line.includes(__filename));
}

function pathOf(target) {
  if (typeof target === 'string') return resolve(target);
  if (target instanceof URL && target.protocol === 'file:') return fileURLToPath(target);
  if (Buffer.isBuffer(target)) return resolve(target.toString());
  return null;
}

function note(target, always = false) {
  const appRoot = process.env.MOCKLOOP_STANDIN_APP_ROOT;
  const logFile = process.env.MOCKLOOP_STANDIN_FS_LOG;
  if (!appRoot || !logFile) return;
  const path = pathOf(target);
  // The stand-in's own files (the electron shim) are not the app's.
  if (!path || path.startsWith(__dirname) || seen.has(path)) return;
  if (!always && !calledByApp(appRoot)) return;
  seen.add(path);
  appendFileSync(logFile, `${path}\n`);
}

function wrap(owner, name) {
  const original = owner[name];
  if (typeof original !== 'function') return;
  owner[name] = function recorded(target, ...rest) {
    note(target);
    return original.call(this, target, ...rest);
  };
}

for (const name of [
  'readFile',
  'readFileSync',
  'open',
  'openSync',
  'createReadStream',
  'readdir',
  'readdirSync',
]) {
  wrap(fs, name);
}
for (const name of ['readFile', 'open', 'readdir']) wrap(fs.promises, name);

// Native libraries (whisper.cpp's Node binding): loaded on the binding's own asynchronous
// path, where the app's bundle may not be on the stack; nothing else here loads one.
const dlopen = process.dlopen;
process.dlopen = function recorded(module, filename, ...rest) {
  note(filename, true);
  return dlopen.call(this, module, filename, ...rest);
};
