/** The program runner in its own process (as `rootguard preview` forks it): the records it sends back. */
import { strict as assert } from "node:assert";
import { UNKNOWN, wrapSecret } from "../../src/core/pulumi-values";
import { withDefaultProviders } from "../../src/cli/preview/default-providers";
import { programEntry } from "../../src/cli/preview/program-entry";
import { readProject } from "../../src/cli/preview/project";
import { selectStack } from "../../src/cli/preview/stack-selection";
import { runProgram } from "../../src/cli/preview/run-program";
import { loadStackConfig, previewRegion, programConfig } from "../../src/cli/preview/stack-config";
import { REPO_ROOT, fixture } from "./preview-helpers";

const secretOf = (value: unknown) => wrapSecret(value);

describe("preview: the program runner's records (wire form)", function () {
    this.timeout(120_000);

    it("sends secure: config to resources and providers as a secret-wrapped unknown", async () => {
        const project = readProject(fixture("secure"));
        const cfg = loadStackConfig(project, selectStack(project, "test"), []);
        const recorded = await runProgram({
            programPath: programEntry(project).path,
            esm: false,
            programDir: project.dir,
            project: project.name,
            stack: "test",
            ...programConfig(cfg),
            rootguardRoot: REPO_ROOT,
            region: previewRegion(cfg),
        });
        const records = withDefaultProviders(recorded, cfg, project.name);
        const param = records.find((r) => r.type === "aws:ssm/parameter:Parameter")!;
        assert.deepEqual(param.inputs.value, secretOf(UNKNOWN));
        assert.equal(param.parent, "urn:pulumi:test::secure-fixture::pulumi:pulumi:Stack::secure-fixture-test");
        assert.equal(param.urn, "urn:pulumi:test::secure-fixture::aws:ssm/parameter:Parameter::token");
        assert.equal(param.outputs.arn, "arn:aws:ssm:eu-west-1:123456789012:parameter/token");
        const provider = records.find((r) => r.type === "pulumi:providers:aws")!;
        assert.deepEqual(provider.inputs, {
            region: "eu-west-1",
            accessKey: secretOf(UNKNOWN),
            secretKey: secretOf(UNKNOWN),
            version: "7.48.0",
        });
        assert.equal(param.providerRef, `${provider.urn}::${provider.id}`);
    });
});
