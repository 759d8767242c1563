/**
 * Every output of every command redacts alike, whatever field a key ID or a secret sits in, and tables stay
 * aligned after redaction shortened a cell. Inputs hold fabricated credentials (right shape, no account).
 */
import { strict as assert } from "node:assert";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { maskKeyId } from "../../src/core/access-keys";
import { runCompliance } from "../../src/cli/compliance/command";
import { jsonReport } from "../../src/cli/preview/json-report";
import type { ResourceRecord } from "../../src/cli/preview/records";
import { chooseStyle, textReport } from "../../src/cli/preview/report";
import { testDeps } from "./compliance-helpers";

const KEYS = Array.from({ length: 14 }, (_, i) => `AKIAQ${"ABCDEFGHIJKLMNOP"[i]}3Z7WXYZ23456${"QRSTUVWXYZ234567"[i]}A`);
const SECRET = "wJal5XUtnFEMI/K7MDENG+bPxRfiCYz9Ek3Yq1Lm";

function assertNothingWhole(output: string, where: string): void {
    for (const k of KEYS) assert.ok(!output.includes(k), `${where} shows ${k} unmasked`);
    for (const part of [SECRET, SECRET.slice(0, 20), SECRET.slice(20)]) assert.ok(!output.includes(part), `${where} shows the secret`);
}

/** A saved report with a credential in every field the format lets hold free text. */
function leakyReport(): Record<string, unknown> {
    return {
        format: "rootguard-compliance",
        version: 1,
        generatedAt: "2026-11-22T23:30:00.000Z",
        source: { mode: "organization", aggregator: `org-${KEYS[0]}`, region: "us-east-1" },
        rules: [KEYS[1], "root-account-mfa-enabled"],
        rulesNotFound: [`missing-${KEYS[2]}`],
        evaluations: [
            {
                accountId: "100000000001",
                region: "us-east-1",
                rule: KEYS[1],
                configRuleName: KEYS[3],
                compliance: "NON_COMPLIANT",
                lastEvaluated: "2026-11-22T07:07:00.000Z",
                annotation: `key ${KEYS[4]} secret ${SECRET}`,
            },
            {
                accountId: "100000000002",
                region: "eu-west-1",
                rule: "root-account-mfa-enabled",
                configRuleName: `OrgConfigRule-root-account-mfa-enabled-${KEYS[5]}`,
                compliance: "COMPLIANT",
                lastEvaluated: null,
            },
        ],
        inventory: [
            {
                accountId: "100000000001",
                method: "assume-root",
                keys: [
                    {
                        keyId: KEYS[6],
                        status: `Active ${KEYS[7]}`,
                        created: null,
                        lastUsed: "2026-10-01T00:00:00.000Z",
                        lastUsedService: KEYS[8],
                        lastUsedRegion: `r-${KEYS[9]}`,
                    },
                ],
                notes: [`note ${KEYS[10]} ${SECRET}`],
                error: `failed for ${KEYS[11]}`,
            },
        ],
    };
}

describe("output redaction: compliance --from, in JSON, the table and the page alike", () => {
    let file: string;
    before(async () => {
        const dir = await fs.mkdtemp(path.join(os.tmpdir(), "rootguard-redaction-"));
        file = path.join(dir, "leaky.json");
        await fs.writeFile(file, JSON.stringify(leakyReport()));
    });

    it("JSON masks every key ID in every field and drops the secret, as the table and the page do", async () => {
        const json = testDeps();
        await runCompliance({ from: file, json: true }, json);
        assertNothingWhole(json.stdout.text, "JSON");
        const r = JSON.parse(json.stdout.text);
        assert.equal(r.source.aggregator, `org-${maskKeyId(KEYS[0])}`);
        assert.deepEqual(r.rules, [maskKeyId(KEYS[1]), "root-account-mfa-enabled"]);
        assert.deepEqual(r.rulesNotFound, [`missing-${maskKeyId(KEYS[2])}`]);
        const [first, second] = r.evaluations;
        assert.equal(first.rule, maskKeyId(KEYS[1]));
        assert.equal(first.configRuleName, maskKeyId(KEYS[3]));
        assert.equal(first.annotation, `key ${maskKeyId(KEYS[4])} secret [redacted secret]`);
        assert.equal(second.configRuleName, `OrgConfigRule-root-account-mfa-enabled-${maskKeyId(KEYS[5])}`);
        const inv = r.inventory[0];
        assert.deepEqual(inv.keys[0], {
            keyId: maskKeyId(KEYS[6]),
            status: `Active ${maskKeyId(KEYS[7])}`,
            created: null,
            lastUsed: "2026-10-01T00:00:00.000Z",
            lastUsedService: maskKeyId(KEYS[8]),
            lastUsedRegion: `r-${maskKeyId(KEYS[9])}`,
        });
        assert.deepEqual(inv.notes, [`note ${maskKeyId(KEYS[10])} [redacted secret]`]);
        assert.equal(inv.error, `failed for ${maskKeyId(KEYS[11])}`);

        const table = testDeps();
        await runCompliance({ from: file }, table);
        assertNothingWhole(table.stdout.text, "table");
        assert.ok(table.stdout.text.includes(maskKeyId(KEYS[6])));

        const html = path.join(path.dirname(file), "page.html");
        await runCompliance({ from: file, html }, testDeps());
        const page = await fs.readFile(html, "utf8");
        assertNothingWhole(page, "HTML");
        assert.ok(page.includes(maskKeyId(KEYS[3])), "the page shows the rule name masked, like the JSON");
    });

    it("keeps the table's columns aligned when redaction shortens a cell", async () => {
        const table = testDeps();
        await runCompliance({ from: file }, table);
        const lines = table.stdout.text.split("\n");
        const evaluations = lines.slice(0, lines.indexOf(""));
        const column = (line: string) => line.search(/NON_COMPLIANT|COMPLIANT|COMPLIANCE/);
        assert.equal(evaluations.length, 3);
        assert.deepEqual(
            evaluations.map(column),
            evaluations.map(() => column(evaluations[0])),
        );
        const header = lines[lines.indexOf("Root access keys") + 1];
        const key = lines.find((l) => l.includes(maskKeyId(KEYS[6])))!;
        assert.equal(key.indexOf("Active"), header.indexOf("STATUS"));
        assert.equal(key.indexOf(maskKeyId(KEYS[6])), header.indexOf("KEY"));
    });
});

describe("output redaction: preview's plan and JSON", () => {
    const stackUrn = "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev";
    const record = (type: string, name: string): ResourceRecord => ({
        urn: name === "p-dev" ? stackUrn : `urn:pulumi:dev::p::${type}::${name}`,
        type,
        name,
        custom: name !== "p-dev",
        parent: name === "p-dev" ? undefined : stackUrn,
        dependencies: [],
        inputs: {},
        outputs: {},
    });
    const records = [
        record("pulumi:pulumi:Stack", "p-dev"),
        record("aws:s3/bucket:Bucket", `logs-${KEYS[12]}`),
        record("aws:ssm/parameter:Parameter", SECRET),
        record("aws:iam/role:Role", "a-plain-name-long-enough-to-set-the-width"),
    ];
    const verdict = { pack: { name: "rootguard", version: "0.1.0" }, diagnostics: [] };

    it("lays the plan out on the redacted names, so the Plan column lines up", () => {
        const text = textReport(
            { mode: "preview", project: "p", stack: "dev", packDir: "." },
            records,
            verdict,
            chooseStyle({ isTTY: false }, {}),
        );
        assertNothingWhole(text, "plan");
        const plan = text.split("\n").filter((l) => / create$/.test(l) && !/ to create$/.test(l));
        assert.equal(plan.length, 4);
        assert.deepEqual(
            plan.map((l) => l.lastIndexOf("create")),
            plan.map(() => plan[0].lastIndexOf("create")),
        );
        assert.ok(plan.some((l) => l.includes(`logs-${maskKeyId(KEYS[12])}`)));
        assert.ok(plan.some((l) => l.includes("[redacted secret]")));
    });

    it("redacts names and URNs in --json exactly as in the plan", () => {
        const doc = jsonReport("dev", records, verdict);
        const text = JSON.stringify(doc);
        assertNothingWhole(text, "preview JSON");
        assert.equal(doc.resources[1].name, `logs-${maskKeyId(KEYS[12])}`);
        assert.equal(doc.resources[1].urn, `urn:pulumi:dev::p::aws:s3/bucket:Bucket::logs-${maskKeyId(KEYS[12])}`);
        assert.equal(doc.resources[2].name, "[redacted secret]");
    });
});
