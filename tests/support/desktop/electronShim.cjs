// What `require('electron')` resolves to inside the stand-in Electron: the stand-in module
// the launcher (standInElectron.ts) built before it loaded the app.
'use strict';
const standIn = globalThis[Symbol.for('mockloop.electron-stand-in')];
if (!standIn) throw new Error('electron was required outside the stand-in launcher');
module.exports = standIn;
