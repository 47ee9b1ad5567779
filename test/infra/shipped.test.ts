import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Source paths that only run locally (the CLI, the local XSIAM, its XQL engine, the sample day). */
const LOCAL_ONLY = [/^local\//, /^lambda\/local\//, /^lambda\/cli(\.ts|\/)/];

/** The project's own source files esbuild puts into a bundle of `entry` (HuntFunction's module options). */
async function bundledSources(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [`${ROOT}${entry}`],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs)
    .map((p) => relative(ROOT, `${ROOT}${p}`).replaceAll('\\', '/'))
    .filter((p) => !p.includes('node_modules/'));
}

const localOnly = (files: string[]) => files.filter((f) => LOCAL_ONLY.some((re) => re.test(f)));

describe('what ships in the Lambda bundle', () => {
  it('bundles the handler without the CLI or any local tooling', async () => {
    const files = await bundledSources('lambda/handler.ts');
    expect(files).toContain('lambda/handler.ts');
    expect(files.some((f) => f.startsWith('lambda/detect/'))).toBe(true);
    expect(localOnly(files)).toEqual([]);
  });

  it('bundles the Slack forwarder without the CLI or any local tooling', async () => {
    const files = await bundledSources('lambda/slack-forwarder/handler.ts');
    expect(files).toContain('lambda/slack-forwarder/handler.ts');
    expect(localOnly(files)).toEqual([]);
  });

  it('would notice local tooling in a bundle (the CLI entry pulls it in)', async () => {
    const files = await bundledSources(CLI_ENTRY);
    expect(localOnly(files).length).toBeGreaterThan(0);
  });
});

const CLI_ENTRY = 'local/cli.ts';
