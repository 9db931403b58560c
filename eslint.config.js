import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** SDKs the core must never import: it defines ports, and adapters elsewhere implement them (STYLE.md). */
const SDKS = ['grammy', '@grammyjs/*', '@slack/*', 'bullmq', 'ioredis', 'langchain', '@langchain/*', 'hnswlib-node', 'whatsapp-web.js', 'fastify', 'minisearch', 'i18next', 'franc'];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', '.puppeteerrc.cjs'] },
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
            { group: ['../*/**', '!../core/**'], message: 'src/core depends on nothing outside src/core.' },
          ],
        },
      ],
    },
  },
);
