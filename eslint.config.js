// @ts-check
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

/** What the pure core (domain/, rules/) may never touch: I/O, UI, the clock, ambient randomness. */
const impureModules = [
  'fs', 'fs/promises', 'path', 'os', 'net', 'http', 'https', 'child_process', 'worker_threads',
  'crypto', 'dgram', 'dns', 'tls', 'stream', 'readline', 'process',
  'electron', 'vue', 'pinia', 'naive-ui', 'pouchdb', 'ws', 'pg', 'sharp',
];
const pureCore = {
  files: ['domain/**/*.ts', 'rules/**/*.ts'],
  ignores: ['**/*.test.ts', 'rules/cli/**', 'rules/bench/**', 'rules/node/**'],
  rules: {
    'no-restricted-imports': ['error', {
      paths: impureModules.map((name) => ({ name, message: 'domain/ and rules/ are pure: do I/O at the edges (CONVENTIONS.md §1).' })),
      patterns: [
        { group: ['node:*'], message: 'domain/ and rules/ are pure: no Node built-ins.' },
        { group: ['**/electron/**', '**/sync-server/**', '**/renderer/**'], message: 'Dependencies point one way: the core imports nothing above it.' },
      ],
    }],
    'no-restricted-syntax': ['error',
      { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Time is an argument (`now`), never read from the clock.' },
      { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Time is an argument (`now`), never read from the clock.' },
      { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Randomness is injected.' },
      { selector: "MemberExpression[object.name='performance']", message: 'No clock in the pure core.' },
      { selector: "Identifier[name='process']", message: 'No process access in the pure core.' },
      { selector: "Identifier[name='setTimeout']", message: 'No timers in the pure core.' },
      { selector: "Identifier[name='setInterval']", message: 'No timers in the pure core.' },
    ],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  pureCore,
);
