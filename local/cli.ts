/**
 * `npm run hunt -- <command>`: the local command line (dispatcher in local/cli/main.ts).
 * Each command writes to stdout only what it produces; diagnostics go to stderr.
 * A reader that closes stdout early (`| head`) ends the run quietly: output is written after the
 * run committed, so nothing is left half-done, and EPIPE is not an error worth a stack trace.
 */
import { main } from './cli/index.js';

let stdoutClosed = false;
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  stdoutClosed = true;
});

const code = await main(process.argv.slice(2), {
  stdin: process.stdin,
  write: (text) => {
    if (!stdoutClosed) process.stdout.write(text);
  },
  error: (text) => void process.stderr.write(text),
  env: process.env,
  now: Date.now,
});
process.exitCode = stdoutClosed ? 0 : code;
