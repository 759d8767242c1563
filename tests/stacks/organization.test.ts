import { strict as assert } from "node:assert";
import {
    ASSUME_ROOT_EXEMPTION,
    AUDIT_TASK_POLICY,
    DELETE_TASK_POLICY,
    ROOT_ACCESS_KEY_RULE,
    ROOT_HARDWARE_MFA_RULE,
    ROOT_MFA_RULE,
    ROOT_PRINCIPAL_ARN_PATTERN,
    taskPolicyArn,
} from "../../src/core/aws-facts";
import { REMEDIATOR_ENV } from "../../src/remediator/contract";
import { complianceChangeEvent, matchesPattern } from "./helpers/event-pattern";
import { one, ofType, ProgramRun, runProgram } from "./helpers/program";

const ORG_CONFIG = {
    mode: "organization",
    frequency: "Twelve_Hours",
    hardwareMfaRule: true,
    excludedAccounts: ["111122223333", "444455556666"],
    scpTargets: ["r-ab12", "ou-ab12-cdefgh34"],
    remediation: "delete-unused",
    alertEmails: ["sec@example.com"],
    "aws:region": "us-east-1",
};

function assumeRootStatement(run: ProgramRun): any {
    const policy = JSON.parse(one(run, "aws:iam/rolePolicy:RolePolicy", "rootguard-remediator-policy").inputs.policy);
    return policy.Statement.find((s: any) => [s.Action].flat().includes("sts:AssumeRoot"));
}

describe("stacks: organization mode", function () {
    let run: ProgramRun;
    before(async () => {
        run = await runProgram(ORG_CONFIG);
    });

    it("deploys organization managed rules with the frequency and excluded accounts, no account rules", () => {
        const rules = ofType(run, "aws:cfg/organizationManagedRule:OrganizationManagedRule");
        assert.deepEqual(
            rules.map((r) => [r.inputs.name, r.inputs.ruleIdentifier, r.inputs.maximumExecutionFrequency, r.inputs.excludedAccounts]),
            [ROOT_ACCESS_KEY_RULE, ROOT_MFA_RULE, ROOT_HARDWARE_MFA_RULE].map((f) => [
                f.defaultName,
                f.identifier,
                "Twelve_Hours",
                ["111122223333", "444455556666"],
            ]),
        );
        assert.equal(ofType(run, "aws:cfg/rule:Rule").length, 0);
        // Organization rules have generated names per account: no remediation configuration can bind to them.
        assert.equal(ofType(run, "aws:cfg/remediationConfiguration:RemediationConfiguration").length, 0);
        assert.equal(ofType(run, "aws:ssm/document:Document").length, 0);
    });

    it("creates an organization aggregator with its role, and hands its name to the remediator", () => {
        const aggregator = one(run, "aws:cfg/configurationAggregator:ConfigurationAggregator");
        const source = aggregator.inputs.organizationAggregationSource;
        assert.deepEqual(source.regions, ["us-east-1"]);
        const role = one(run, "aws:iam/role:Role", "rootguard-config-aggregator-us-east-1");
        assert.equal(source.roleArn, role.state.arn);
        assert.equal(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal.Service, "config.amazonaws.com");
        assert.match(
            one(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs.policyArn,
            /service-role\/AWSConfigRoleForOrganizations$/,
        );
        const env = one(run, "aws:lambda/function:Function").inputs.environment.variables;
        assert.equal(env[REMEDIATOR_ENV.mode], "organization");
        assert.equal(env[REMEDIATOR_ENV.aggregatorName], aggregator.inputs.name);
        assert.equal(env[REMEDIATOR_ENV.action], "delete-unused");
        assert.equal(run.outputs.aggregatorName, aggregator.inputs.name);
    });

    it("enables centralized root access (RootCredentialsManagement, RootSessions)", () => {
        assert.deepEqual(one(run, "aws:iam/organizationsFeatures:OrganizationsFeatures").inputs.enabledFeatures, [
            "RootCredentialsManagement",
            "RootSessions",
        ]);
    });

    it("denies root access key creation by SCP, attached to every configured target; no deny-all by default", () => {
        const policies = ofType(run, "aws:organizations/policy:Policy");
        assert.equal(policies.length, 1);
        const scp = policies[0];
        assert.equal(scp.inputs.type, "SERVICE_CONTROL_POLICY");
        assert.deepEqual(JSON.parse(scp.inputs.content), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "DenyRootAccessKeyCreation",
                    Effect: "Deny",
                    Action: "iam:CreateAccessKey",
                    Resource: "*",
                    Condition: { StringLike: { "aws:PrincipalArn": [ROOT_PRINCIPAL_ARN_PATTERN] } },
                },
            ],
        });
        const attachments = ofType(run, "aws:organizations/policyAttachment:PolicyAttachment");
        assert.deepEqual(
            attachments.map((a) => [a.inputs.policyId, a.inputs.targetId]),
            [
                [`${scp.inputs.name}-id`, "r-ab12"],
                [`${scp.inputs.name}-id`, "ou-ab12-cdefgh34"],
            ],
        );
        assert.deepEqual(run.outputs.serviceControlPolicyIds, [`${scp.inputs.name}-id`]);
    });

    it("lets the remediator AssumeRoot only with the audit and delete task policies", () => {
        const st = assumeRootStatement(run);
        assert.equal(st.Effect, "Allow");
        assert.deepEqual(st.Action, ["sts:AssumeRoot"]);
        assert.equal(st.Resource, "arn:aws:iam::*:root");
        assert.deepEqual(st.Condition, {
            StringEquals: { "sts:TaskPolicyArn": [taskPolicyArn(AUDIT_TASK_POLICY), taskPolicyArn(DELETE_TASK_POLICY)] },
        });
        const policy = JSON.parse(one(run, "aws:iam/rolePolicy:RolePolicy", "rootguard-remediator-policy").inputs.policy);
        const aggregatorRead = policy.Statement.find((s: any) => s.Sid === "ReadOrganizationCompliance");
        assert.deepEqual(aggregatorRead.Action, ["config:DescribeAggregateComplianceByConfigRules"]);
        assert.equal(aggregatorRead.Resource, one(run, "aws:cfg/configurationAggregator:ConfigurationAggregator").state.arn);
    });

    it("matches compliance changes of the organization rules' account copies (OrgConfigRule-<name>-…)", () => {
        const pattern = JSON.parse(one(run, "aws:cloudwatch/eventRule:EventRule", "rootguard-compliance-change").inputs.eventPattern);
        assert.ok(
            matchesPattern(pattern, complianceChangeEvent(`OrgConfigRule-${ROOT_ACCESS_KEY_RULE.defaultName}-a1b2c3d4`, "NON_COMPLIANT")),
        );
        assert.ok(!matchesPattern(pattern, complianceChangeEvent(`OrgConfigRule-s3-bucket-versioning-enabled-a1b2c3d4`, "NON_COMPLIANT")));
        assert.ok(!matchesPattern(pattern, complianceChangeEvent("some-other-rule", "NON_COMPLIANT")));
    });
});

describe("stacks: organization mode options", function () {
    it("denyAllRootActions adds the deny-all SCP that exempts AssumeRoot sessions", async () => {
        const run = await runProgram({ ...ORG_CONFIG, denyAllRootActions: true });
        const scp = one(run, "aws:organizations/policy:Policy", "rootguard-deny-root-actions-us-east-1");
        const [st] = JSON.parse(scp.inputs.content).Statement;
        assert.equal(st.Effect, "Deny");
        assert.equal(st.Action, "*");
        assert.deepEqual(st.Condition, { StringLike: { "aws:PrincipalArn": [ROOT_PRINCIPAL_ARN_PATTERN] }, ...ASSUME_ROOT_EXEMPTION });
        assert.equal(ofType(run, "aws:organizations/policyAttachment:PolicyAttachment").length, 4);
    });

    it("notify (or dryRun) allows only the audit task policy; manageOrganizationsFeatures=false skips the feature resource", async () => {
        for (const extra of [{ remediation: "notify" }, { remediation: "delete", dryRun: true }]) {
            const run = await runProgram({ ...ORG_CONFIG, ...extra, manageOrganizationsFeatures: false, scpTargets: [] });
            assert.deepEqual(assumeRootStatement(run).Condition.StringEquals["sts:TaskPolicyArn"], [taskPolicyArn(AUDIT_TASK_POLICY)]);
            assert.equal(ofType(run, "aws:iam/organizationsFeatures:OrganizationsFeatures").length, 0);
            assert.equal(ofType(run, "aws:organizations/policyAttachment:PolicyAttachment").length, 0);
        }
    });
});
