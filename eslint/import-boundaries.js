// @ts-check
/**
 * The import boundaries of this repository, as an ESLint rule.
 *
 * - `lambda/` is what ships in the Lambda bundle: it never imports the local tooling (`local/`),
 *   the CDK app (`infra/`), tests or benchmarks.
 * - A folder is used through its `index.ts`: a relative import that reaches into another folder
 *   must name that folder's index. Files in the importer's own folder, in a folder above it, in
 *   its own subfolders, and the top-level files of an area (such as `lambda/finding.ts`) are
 *   imported directly.
 */
import { dirname, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');
/** Top-level folders and the top-level folders they must never import from. */
const FORBIDDEN = {
  lambda: ['local', 'infra', 'test', 'bench', 'scripts'],
  infra: ['local', 'test', 'bench'],
  local: ['test', 'bench'],
};

/** @type {import('eslint').Rule.RuleModule} */
export const importBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep shipped code apart from local tooling and use folders through their index.ts' },
    messages: {
      forbidden: '{{from}}/ must not import from {{to}}/ ({{source}}): {{why}}',
      deep: 'Import {{folder}}/ through its index.ts, not {{source}}',
    },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const fromRel = relative(root, file);
    const fromTop = fromRel.split(sep)[0];
    /** @param {any} node */
    function check(node) {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = resolve(dirname(file), source);
      const toRel = relative(root, target);
      const toTop = toRel.split(sep)[0];
      const banned = FORBIDDEN[/** @type {keyof typeof FORBIDDEN} */ (fromTop)];
      if (banned?.includes(toTop)) {
        const why = fromTop === 'lambda' ? 'lambda/ is the shipped bundle' : 'keep the layers apart';
        context.report({ node, messageId: 'forbidden', data: { from: fromTop, to: toTop, source, why } });
        return;
      }
      const fromDir = dirname(file);
      const toDir = dirname(target);
      const isIndex = /[\\/]index\.(js|ts)$/.test(target);
      const sameOrAbove = fromDir === toDir || (fromDir + sep).startsWith(toDir + sep);
      // A folder may use its own subfolders' files (run/ → run/stages/), but an area's top level
      // (lambda/handler.ts) may not reach past another folder's index.
      const ownSubfolder = dirname(fromRel) !== fromTop && (toDir + sep).startsWith(fromDir + sep);
      // A top-level area's own files (lambda/config.ts, lambda/finding.ts) are modules in their own right.
      const areaRoot = dirname(toRel) === toTop;
      if (!isIndex && !sameOrAbove && !ownSubfolder && !areaRoot && !target.endsWith('.json')) {
        context.report({ node, messageId: 'deep', data: { folder: relative(root, toDir), source } });
      }
    }
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: (n) => check({ source: n.source, ...n }) };
  },
};
