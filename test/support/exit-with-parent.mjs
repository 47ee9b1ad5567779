// Runs a command and ends it when the process that started this guard dies, however it dies.
// Usage: node exit-with-parent.mjs <command> [args…], with stdin a pipe from the parent.
//
// Why: DynamoDB Local is a JVM, and a JVM does not notice its parent's death. Stryker kills a
// test runner on every timeout (SIGKILL, no teardown), so each timeout left one stray JVM behind;
// eight of them slowed a run until more mutants timed out. The parent holds this guard's stdin
// open; the kernel closes it when the parent dies, even by SIGKILL, and the guard then ends the
// command. The guard exits with the command's exit code.
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('exit-with-parent: no command given');
  process.exit(2);
}
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });

// SIGKILL at once, never SIGTERM first: the command here is an in-memory test database with nothing
// to save, and on a loaded machine the JVM took longer than any grace period to act on SIGTERM; the
// caller's fallback then killed this guard mid-wait and the JVM stayed (seen in a Stryker run).
let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  child.kill('SIGKILL');
}

process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
child.on('error', (err) => {
  console.error(`exit-with-parent: ${command}: ${err.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
