/**
 * `npm run hunt -- <command>`: the local command line. A thin dispatcher; each command lives in lambda/cli/.
 * Only the explain command writes to stdout what it produces; diagnostics go to stderr.
 */
import { runExplain } from './cli/explain.js';

type Command = (args: readonly string[]) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  explain: (args) =>
    runExplain(args, {
      stdin: process.stdin,
      write: (text) => void process.stdout.write(text),
      error: (text) => void process.stderr.write(text),
    }),
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`hunt: command "${name ?? 'run'}" not implemented yet (available: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 1;
  }
  return command(args);
}

process.exitCode = await main(process.argv.slice(2));
