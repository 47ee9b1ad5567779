// @ts-check
import tseslint from 'typescript-eslint';
import { importBoundaries } from './eslint/import-boundaries.js';
import { layering } from './eslint/layering.js';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.cache/', 'coverage/', 'bench/.tmp/', '.stryker-tmp/', 'reports/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {
        argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true,
      }],
    },
  },
  {
    files: ['lambda/**/*.ts', 'local/**/*.ts', 'infra/**/*.ts'],
    plugins: { repo: { rules: { 'import-boundaries': importBoundaries } } },
    rules: { 'repo/import-boundaries': 'error' },
  },
  {
    files: ['lambda/**/*.ts'],
    plugins: { layers: { rules: { layering } } },
    rules: { 'layers/layering': 'error' },
  },
);
