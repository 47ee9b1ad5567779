/**
 * Which test files need the slow parts: DynamoDB Local, an esbuild bundle of the handler or a CDK
 * synth (which bundles too). vitest.config.ts runs those in the `integration` project, which
 * starts DynamoDB Local, and every other file in the `pure` project, which starts nothing
 * (`npm run test:pure`). Nothing to list by hand: a file is integration when it, or a helper it
 * imports from test/ (followed transitively), carries one of the markers below.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** What puts a file in the integration project. */
const MARKERS: readonly RegExp[] = [
  /inject\(\s*['"]dynamoDbEndpoint['"]/, // the DynamoDB Local endpoint from the global setup
  /\bstartDynamoDbLocal\b/,
  /from\s+['"]esbuild['"]|import\(\s*['"]esbuild['"]\s*\)/, // a bundle of the handler
  /\bsynthHunt\b|\bcreateHuntApp\b/, // a CDK synth: NodejsFunction bundles the handler
];

const RELATIVE_IMPORT = /(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : testFiles(path);
    return e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Splits `test/**\/*.test.ts` under `root` into the two projects (paths relative to root). */
export function splitTests(root: string): { pure: string[]; integration: string[] } {
  const testDir = join(root, 'test');
  const scanned = new Map<string, { marked: boolean; deps: string[] }>();
  const scan = (file: string): { marked: boolean; deps: string[] } => {
    let entry = scanned.get(file);
    if (entry === undefined) {
      const src = readFileSync(file, 'utf8');
      const deps = [...src.matchAll(RELATIVE_IMPORT)]
        .map((m) => resolve(dirname(file), (m[1] as string).replace(/\.js$/, '.ts')))
        .filter((dep) => dep.startsWith(testDir) && dep.endsWith('.ts') && existsSync(dep));
      entry = { marked: MARKERS.some((m) => m.test(src)), deps };
      scanned.set(file, entry);
    }
    return entry;
  };
  /** True when the file or any test/ helper it reaches carries a marker. */
  const needsIntegration = (file: string): boolean => {
    const seen = new Set([file]);
    const queue = [file];
    for (let f = queue.shift(); f !== undefined; f = queue.shift()) {
      const { marked, deps } = scan(f);
      if (marked) return true;
      for (const dep of deps) if (!seen.has(dep)) { seen.add(dep); queue.push(dep); }
    }
    return false;
  };
  const pure: string[] = [];
  const integration: string[] = [];
  for (const file of testFiles(testDir).sort()) {
    (needsIntegration(file) ? integration : pure).push(relative(root, file));
  }
  return { pure, integration };
}
