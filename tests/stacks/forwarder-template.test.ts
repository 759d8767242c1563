/** The StackSet the organization stack deploys carries the member-account template (cfn-lint checks it in forwarder-template.e2e.test.ts). */
import { strict as assert } from "node:assert";
import { forwarderTemplate } from "../../stacks/components/forwarder-template";
import { one, runProgram } from "./helpers/program";

describe("stacks: the member-account StackSet template in the stack", function () {
    this.timeout(180_000);

    it("is the template the organization stack deploys, with every parameter it declares set", async () => {
        const run = await runProgram({ mode: "organization", namePrefix: "acme-guard" });
        const set = one(run, "aws:cloudformation/stackSet:StackSet").inputs;
        const template = forwarderTemplate("acme-guard");
        assert.deepEqual(JSON.parse(set.templateBody), template);
        assert.deepEqual(Object.keys(set.parameters).sort(), Object.keys(template.Parameters).sort());
        for (const [name, spec] of Object.entries(template.Parameters)) {
            assert.match(set.parameters[name], new RegExp(spec.AllowedPattern), name);
        }
    });
});
