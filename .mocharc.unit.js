// The unit tier (`npm run test:unit`): every test file except *.e2e.test.ts, in the mocha process only
// (tests/support/in-process.ts refuses to start processes). See docs/testing.md.
const base = require("./.mocharc.json");

module.exports = {
    ...base,
    require: [...base.require, "tests/support/in-process.ts"],
    spec: ["tests/**/*.test.ts"],
    ignore: ["tests/**/*.e2e.test.ts"],
};
