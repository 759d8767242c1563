// The end-to-end tier (`npm run test:e2e`): *.e2e.test.ts, tests that start processes (the CLI, packs, the
// program runner, a browser, the bench). See docs/testing.md.
const base = require("./.mocharc.json");

module.exports = { ...base, spec: ["tests/**/*.e2e.test.ts"] };
