// @ts-check
/**
 * The layering of lambda/, as an ESLint rule: the pipeline (lambda/run/) and the pure cores
 * (detect/, history/, incidents/, hunts/, the card-only detector) run over ports and never import
 * an adapter (DynamoDB store, XSIAM client, Secrets Manager, SNS notifier, the AWS wiring) or a
 * vendor SDK. The handler and aws-ports.ts wire adapters to them; tests pass fakes.
 */
import { dirname, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');
/** Files and folders (relative to the repository, `/`-separated) that must stay pure. */
export const PURE = ['lambda/run/', 'lambda/detect/', 'lambda/history/', 'lambda/incidents/', 'lambda/hunts/', 'lambda/modules/card-detector.ts'];
/** Adapters and wiring the pure layers must not import. */
export const ADAPTERS = [
  'lambda/state/', 'lambda/xsiam/', 'lambda/credentials/', 'lambda/confirm/xsiam/', 'lambda/notify/sns.ts',
  'lambda/aws-ports.ts', 'lambda/handler.ts', 'lambda/lambda-shell.ts', 'lambda/ops-topic.ts',
];
/** Vendor packages only adapters use. */
const SDK = /^(@aws-sdk\/|@smithy\/|@aws-lambda-powertools\/|undici$|aws-lambda$)/;

const posix = (/** @type {string} */ p) => p.split(sep).join('/');
const under = (/** @type {string} */ path, /** @type {string[]} */ list) => list.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p || path === p.replace(/\.ts$/, '.js')));

/** @type {import('eslint').Rule.RuleModule} */
export const layering = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep the pipeline and the pure cores apart from adapters and vendor SDKs' },
    messages: {
      adapter: '{{from}} is a pure layer and must not import the adapter {{to}}: take it as a port (lambda/ports.ts) and let the handler wire it',
      sdk: '{{from}} is a pure layer and must not import {{source}}: vendor SDKs belong in adapters',
    },
    schema: [],
  },
  create(context) {
    const from = posix(relative(root, context.filename));
    if (!under(from, PURE)) return {};
    /** @param {any} node */
    function check(node) {
      const source = node.source?.value;
      if (typeof source !== 'string') return;
      if (SDK.test(source) && node.importKind !== 'type') {
        context.report({ node, messageId: 'sdk', data: { from, source } });
        return;
      }
      if (!source.startsWith('.')) return;
      const to = posix(relative(root, resolve(dirname(context.filename), source))).replace(/\.js$/, '.ts');
      if (under(to, ADAPTERS)) context.report({ node, messageId: 'adapter', data: { from, to } });
    }
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};
