// React and Ink choose their development or production build when they are first loaded, from
// NODE_ENV. The bin sets it to production before any import (scripts/build.mjs); a measurement
// imports this module first to run the same build. It cannot help once React is loaded.
process.env.NODE_ENV ??= 'production';
