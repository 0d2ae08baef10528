// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// Libraries from the bottom up (architecture.md): a library may import only those below it, and
// only through their public index `@jicai/<lib>`; apps sit above every library. A new library
// takes its place in this list.
const LAYERS = [
  'api-client',
  'common',
  'database',
  'organizations',
  'spreadsheets',
  'onboarding',
  'notifications',
  'catalog',
  'batches',
  'bidding',
  'reimbursement',
  'evaluation',
  'allocation',
  'prepayment',
  'orders',
  'settlement',
  'execution',
  'dashboards',
];

const deepImports = [
  { group: ['@jicai/*/*'], message: 'Import another library through its public index: @jicai/<lib>.' },
  {
    group: ['**/libs/*/src', '**/libs/*/src/**', '../../*/src', '../../*/src/**', '../../../apps/**', '../../../../apps/**'],
    message: 'Import another library through @jicai/<lib>; libraries never import apps.',
  },
];

const layerRules = LAYERS.map((lib, i) => ({
  files: [`libs/${lib}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...deepImports,
          ...(LAYERS.length > i + 1
            ? [
                {
                  group: LAYERS.slice(i + 1).map((l) => `@jicai/${l}`),
                  message: `${lib} sits below these libraries (architecture.md): dependencies point down.`,
                },
              ]
            : []),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'apps/web/dist/**',
      'apps/web/src/api/schema.d.ts',
      'libs/api-client/src/schema.d.ts',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['apps/web/vite.config.mts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Type-aware rules that pay: a promise nobody awaits loses its error and its ordering.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Raw SQL rows are typed at the edge of each query; `any` there is deliberate.
      '@typescript-eslint/no-explicit-any': 'off',
      'no-irregular-whitespace': ['error', { skipComments: true, skipStrings: true, skipTemplates: true }],
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
    },
  },
  { files: ['apps/**/*.ts', 'test/**/*.ts', 'database/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [deepImports[0]] }] } },
  ...layerRules,
  prettier,
);
