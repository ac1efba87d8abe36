import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.config.ts', 'vitest.base.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through @media-ai/config, not process.env.',
        },
      ],
    },
  },
  {
    files: ['libs/config/**', 'e2e/**', 'tools/**', 'bin/**', '**/*.test.ts', '**/test-support/**', '**/test/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
