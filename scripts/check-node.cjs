#!/usr/bin/env node
// Runs before install, start, test, demo and bench: on a Node older than package.json's `engines`
// it prints what to do and exits 1, instead of letting a dependency fail later with a stack trace.
// Plain ES5-level JavaScript on purpose, so even a very old Node can run it.
'use strict';
var path = require('path');
var engines = require(path.join(__dirname, '..', 'package.json')).engines || {};
var wanted = String(engines.node || '');
var match = /^>=\s*(\d+)(?:\.(\d+))?/.exec(wanted);
if (!match) process.exit(0);
var need = [Number(match[1]), Number(match[2] || 0)];
var have = process.versions.node.split('.').map(Number);
if (have[0] > need[0] || (have[0] === need[0] && have[1] >= need[1])) process.exit(0);
process.stderr.write(
  'cmdb: this project needs Node ' + need[0] + '.' + need[1] + ' or newer (Node 24 LTS recommended); this is Node ' +
    process.versions.node + ' at ' + process.execPath + '.\n' +
    'cmdb: install Node 24 LTS (your package manager, nvm, or `npm install -g node@24`), then run the command again.\n'
);
process.exit(1);
