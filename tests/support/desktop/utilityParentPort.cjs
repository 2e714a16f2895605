// Preloaded into the voice host when the stand-in Electron forks it with Node: gives it
// `process.parentPort`, as an Electron utility process has, over Node's IPC channel, so
// the host runs its utility-process branch (src/providers/embedded/fliteHost.ts).
'use strict';
const { EventEmitter } = require('node:events');

const port = new EventEmitter();
port.postMessage = (message) => process.send(message);
process.on('message', (data) => port.emit('message', { data, ports: [] }));
process.on('disconnect', () => process.exit(0));
Object.defineProperty(process, 'parentPort', { value: port, enumerable: false });
