import * as assert from "node:assert/strict";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { guardResource, guardStack } from "../../policies/guard";
import { KEY_ID, SECRET } from "./fixtures";
import { NotApplicable, UNKNOWN, assertNoSecretLeak, resourceArgs, runResource, runStack } from "./helpers";

function resourcePolicy(validate: Parameters<typeof guardResource>[1]): ResourceValidationPolicy {
    return { name: "t", description: "t", validateResource: guardResource("t", validate) };
}

describe("guard", () => {
    it("turns an unexpected error into an advisory note without credentials", async () => {
        const p = resourcePolicy(() => {
            throw new Error(`boom ${KEY_ID} "${SECRET.slice(0, 12)}" ${SECRET}`);
        });
        const reports = await runResource(p, { type: "x:y:Z", props: {} });
        assert.equal(reports.length, 1);
        assert.equal(reports[0].enforcementLevel, "advisory");
        assert.match(reports[0].message, /could not finish 't'/);
        assertNoSecretLeak([reports[0].message], [SECRET], [KEY_ID]);
    });

    it("passes the SDK's notApplicable and unknown-value errors through", async () => {
        const na = resourcePolicy((args) => args.notApplicable("nope"));
        await assert.rejects(runResource(na, { type: "x:y:Z", props: {} }), NotApplicable);
        const unknown = resourcePolicy((args) => {
            void (args.props as Record<string, unknown>).field;
        });
        await assert.rejects(runResource(unknown, { type: "x:y:Z", props: { field: UNKNOWN } }), /can't be known during preview/);
    });

    it("guards stack validations and async rejections", async () => {
        const p: StackValidationPolicy = {
            name: "s",
            description: "s",
            validateStack: guardStack("s", async () => {
                await Promise.resolve();
                throw "a string, not an Error";
            }),
        };
        const reports = await runStack(p, []);
        assert.equal(reports.length, 1);
        assert.equal(reports[0].enforcementLevel, "advisory");
    });

    it("hands the policy the original args", async () => {
        let seen = "";
        const p = resourcePolicy((args) => {
            seen = `${args.type} ${args.name} ${args.urn}`;
        });
        const args = resourceArgs({ type: "x:y:Z", name: "n", props: {} });
        await (p.validateResource as (a: typeof args, r: () => void) => Promise<void>)(args, () => undefined);
        assert.equal(seen, `x:y:Z n ${args.urn}`);
    });
});
