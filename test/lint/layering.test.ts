import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });
const lint = async (file: string, code: string): Promise<string[]> =>
  (await eslint.lintText(code, { filePath: resolve(root, file) }))[0]!.messages.filter((m) => m.ruleId === 'layers/layering').map((m) => m.message);

describe('the layering rule (eslint/layering.js)', () => {
  it('stops the pipeline and the pure cores importing an adapter or a vendor SDK', async () => {
    expect(await lint('lambda/run/probe.ts', "import { DynamoStateStore } from '../state/index.js';\nexport const x = DynamoStateStore;\n"))
      .toEqual([expect.stringContaining('must not import the adapter lambda/state/index.ts')]);
    expect(await lint('lambda/detect/probe.ts', "import { SNSClient } from '@aws-sdk/client-sns';\nexport const x = SNSClient;\n"))
      .toEqual([expect.stringContaining('must not import @aws-sdk/client-sns')]);
    expect(await lint('lambda/history/probe.ts', "import { createXsiamClient } from '../xsiam/index.js';\nexport const x = createXsiamClient;\n")).toHaveLength(1);
  });

  it('lets the wiring import adapters, and the pure layers import ports and domain types', async () => {
    expect(await lint('lambda/aws-ports.ts', "import { DynamoStateStore } from './state/index.js';\nexport const x = DynamoStateStore;\n")).toEqual([]);
    expect(await lint('lambda/run/probe.ts', "import type { StateStore } from '../ports.js';\nexport type X = StateStore;\n")).toEqual([]);
  });
});
