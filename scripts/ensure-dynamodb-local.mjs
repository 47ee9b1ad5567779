// Fetches DynamoDB Local (AWS's own engine, shipped inside the npm package
// amplify-dynamodb-simulator) into a git-ignored cache, keeping only its emulator/ folder.
// Installing the package normally would drag in ~280 dependencies the tests never use.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';

const PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
const root = resolve(import.meta.dirname, '..');
const target = join(root, '.cache', 'dynamodb-local');

if (existsSync(join(target, 'DynamoDBLocal.jar'))) process.exit(0);

const work = mkdtempSync(join(tmpdir(), 'ddb-local-'));
try {
  const tarball = execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', work], {
    encoding: 'utf8',
  }).trim().split('\n').pop();
  execFileSync('tar', ['-xzf', join(work, tarball), '-C', work, 'package/emulator']);
  mkdirSync(join(root, '.cache'), { recursive: true });
  rmSync(target, { recursive: true, force: true });
  renameSync(join(work, 'package', 'emulator'), target);
  console.log(`DynamoDB Local ready in ${target}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
