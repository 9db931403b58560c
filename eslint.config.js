import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** SDKs the core must never import: it defines ports, and adapters elsewhere implement them (STYLE.md). */
const SDKS = ['grammy', '@grammyjs/*', '@slack/*', 'bullmq', 'ioredis', 'langchain', '@langchain/*', 'hnswlib-node', 'whatsapp-web.js', 'fastify', 'minisearch', 'i18next', 'eld'];

/** Every other folder of src/, as seen from src/core and from one folder below it. */
const SRC_FOLDERS = ['answering', 'bench', 'channels', 'cli', 'config', 'conversation', 'escalation', 'handoff', 'i18n', 'infra', 'notices', 'operations', 'privacy', 'queue', 'retrieval'];
const OUTSIDE_CORE = SRC_FOLDERS.flatMap((folder) => [`../${folder}/*`, `../../${folder}/*`]);

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', '.puppeteerrc.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: SDKS, message: 'src/core imports no SDK: define a port in src/core and implement it outside (STYLE.md, rule 1).' },
            { group: OUTSIDE_CORE, message: 'src/core depends on nothing outside src/core (ports point inward).' },
          ],
        },
      ],
    },
  },
);
