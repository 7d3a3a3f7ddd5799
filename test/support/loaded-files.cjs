// Preloaded into a step (`node --require`): at exit, writes the files Node loaded as modules, one a line, to
// the path in LOADED_FILES_OUT, so a test can tell which of dist/'s files a step read.
'use strict';
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  writeFileSync(process.env.LOADED_FILES_OUT ?? '', Object.keys(require.cache).join('\n'));
});
