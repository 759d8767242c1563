/**
 * `rootguard doctor` against the loopback fake AWS (real HTTP, real SDK clients; Query, JSON 1.1 and
 * REST-JSON): each account state the issue names, and each prerequisite going wrong on its own.
 */
import { strict as assert } from "node:assert";
import { ROOT_ACCESS_KEY_RULE, ROOT_MFA_RULE } from "../../src/core/aws-facts";
import { CALLER_CHECK, CHECKS } from "../../src/cli/doctor/checks";
import { UserError } from "../../src/cli/errors";
import { accountOf, delegatedAdministratorWorld, freshStandaloneWorld, IDS, KEYS, organizationWorld } from "../fixtures/fake-aws/world";
import { check, runDoctorOn, statuses } from "./doctor-helpers";

/** Organization mode with the recorder question answered (most scenarios are about something else). */
const ORG = ["mode=organization", "createRecorder=false"];
/**
 * What a delegated administrator can deploy: no Organizations features, no organization-wide root activity alerts;
 * SCPs only where policy management is delegated.
 */
const DELEGATED = [...ORG, "manageOrganizationsFeatures=false", "rootActivityAlerts=false"];
const CONFIG_SERVICES = ["config-multiaccountsetup.amazonaws.com", "config.amazonaws.com"];

describe("rootguard doctor against a fake AWS", function () {
    this.timeout(60_000);

    describe("a fresh standalone account", () => {
        it("account mode: the unset createRecorder and the trail fail, with their fixes; the workers fit in the 10 executions; exit 1", async () => {
            const run = await runDoctorOn(freshStandaloneWorld(), KEYS.standalone);
            assert.deepEqual(statuses(run.report), {
                caller: "pass",
                region: "pass",
                "config-recorder": "fail",
                trail: "fail",
                "lambda-concurrency": "pass",
                "rule-names": "pass",
            });
            assert.equal(run.exitCode, 1);
            // pulumi up would refuse to run without the key; the account has no recorder, so the stack must create one.
            const recorder = check(run.report, "config-recorder");
            assert.match(
                recorder.detail,
                /^rootguard:createRecorder is not set, so pulumi up will refuse to run; us-east-1 has no customer managed recorder/,
            );
            assert.equal(recorder.fix, "pulumi config set rootguard:createRecorder true");
            assert.match(check(run.report, "region").detail, /AWS Config offers IAM_ROOT_ACCESS_KEY_CHECK, ROOT_ACCOUNT_MFA_ENABLED there/);
            assert.match(check(run.report, "trail").fix ?? "", /aws cloudtrail create-trail .*--is-multi-region-trail/);
            assert.match(
                check(run.report, "lambda-concurrency").detail,
                /^6 at once \(rootguard:concurrency 5 workers and the scheduled reconcile\) fit in the 10 of 10 unreserved in us-east-1/,
            );
            assert.deepEqual(
                run.report.notNeeded.map((n) => n.id),
                ["management-account", "scp-policy-type", "trusted-access", "root-access", "alert-key"],
            );
            // Each fail prints on one line with its fix.
            for (const line of run.output.split("\n").filter((l) => l.startsWith("fail"))) assert.match(line, / — fix: \S/);
        });

        it("account mode with createRecorder: the trail is all that is left", async () => {
            const run = await runDoctorOn(freshStandaloneWorld(), KEYS.standalone, { config: ["createRecorder=true"] });
            assert.equal(check(run.report, "config-recorder").status, "pass");
            assert.match(check(run.report, "config-recorder").detail, /the stack creates one/);
            assert.deepEqual(
                run.report.checks.filter((c) => c.status !== "pass").map((c) => c.id),
                ["trail"],
            );
        });

        it("reserving concurrency in a new account fails: Lambda keeps all 10 unreserved; the fix drops the reservation", async () => {
            const run = await runDoctorOn(freshStandaloneWorld(), KEYS.standalone, { config: ["reservedConcurrency=2"] });
            const lambda = check(run.report, "lambda-concurrency");
            assert.equal(lambda.status, "fail");
            assert.match(
                lambda.detail,
                /reservedConcurrency 2 would leave 8 of the account's 10 .* below the 10 Lambda keeps: the function cannot be created/,
            );
            assert.match(lambda.detail, /may run 6 at once .* but can get only 2 \(its reservation of 2\)/);
            assert.equal(
                lambda.fix,
                "pulumi config set rootguard:reservedConcurrency 0, or raise the quota (Service Quotas → AWS Lambda → Concurrent executions)",
            );
            assert.equal(run.exitCode, 1);
        });

        it("more workers than the account's unreserved executions fails: throttled messages would be dead-lettered", async () => {
            const run = await runDoctorOn(freshStandaloneWorld(), KEYS.standalone, { config: ["concurrency=20"] });
            const lambda = check(run.report, "lambda-concurrency");
            assert.equal(lambda.status, "fail");
            assert.match(
                lambda.detail,
                /may run 21 at once \(rootguard:concurrency 20 workers .*\) but can get only 10 \(the 10 unreserved in us-east-1\)/,
            );
            assert.match(lambda.detail, /dead-lettered after 3 receives/);
            assert.match(lambda.fix ?? "", /^pulumi config set rootguard:concurrency 9, or raise the quota/);
        });

        it("with a stack file, config fixes name the stack", async () => {
            const run = await runDoctorOn(freshStandaloneWorld(), KEYS.standalone, { stack: "example-account" });
            assert.equal(run.report.region, "eu-west-1", "aws:region from Pulumi.example-account.yaml");
            assert.match(
                check(run.report, "config-recorder").fix ?? "",
                /^pulumi config set --stack example-account rootguard:createRecorder true/,
            );
        });

        it("organization mode: not in an organization fails the management check; the management-only checks cannot be judged", async () => {
            const run = await runDoctorOn(freshStandaloneWorld(), KEYS.standalone, { config: ORG });
            const mgmt = check(run.report, "management-account");
            assert.equal(mgmt.status, "fail");
            assert.match(mgmt.detail, /in no organization/);
            assert.match(mgmt.fix ?? "", /create-organization --feature-set ALL|rootguard:mode account/);
            for (const id of ["scp-policy-type", "trusted-access", "root-access", "rule-names"])
                assert.equal(check(run.report, id).status, "cannot-check", id);
            assert.equal(run.exitCode, 1);
        });
    });

    describe("the management account of an organization with nothing enabled", () => {
        it("SCPs, IAM trusted access, centralized root access, recorder and trail fail; each names its command", async () => {
            const run = await runDoctorOn(organizationWorld(false), KEYS.management, { config: ORG });
            assert.deepEqual(statuses(run.report), {
                caller: "pass",
                region: "pass",
                "management-account": "pass",
                "scp-policy-type": "fail",
                "trusted-access": "fail",
                "root-access": "fail",
                "config-recorder": "fail",
                trail: "fail",
                "lambda-concurrency": "pass",
                "rule-names": "pass",
            });
            assert.equal(
                check(run.report, "scp-policy-type").fix,
                "aws organizations enable-policy-type --root-id r-ab12 --policy-type SERVICE_CONTROL_POLICY",
            );
            const trusted = check(run.report, "trusted-access");
            // Root activity alerts (on by default) need CloudFormation StackSets' trusted access, which CloudFormation turns on.
            assert.match(
                trusted.detail,
                /member\.org\.stacksets\.cloudformation\.amazonaws\.com \(the root activity StackSet in member accounts\)/,
            );
            assert.equal(
                trusted.fix,
                "aws organizations enable-aws-service-access --service-principal iam.amazonaws.com && aws cloudformation activate-organizations-access",
            );
            // Config's own calls enable its trusted access: reported, not failed.
            assert.match(trusted.detail, /pulumi up enables config-multiaccountsetup\.amazonaws\.com, config\.amazonaws\.com itself/);
            assert.match(check(run.report, "root-access").detail, /trusted access for IAM is not enabled/);
            assert.equal(run.exitCode, 1);
        });

        it("with IAM trusted access on and manageOrganizationsFeatures false, missing root access features fail; true passes", async () => {
            const world = organizationWorld(false);
            accountOf(world, KEYS.management).organization!.trustedAccess.push("iam.amazonaws.com");
            const unmanaged = await runDoctorOn(world, KEYS.management, { config: [...ORG, "manageOrganizationsFeatures=false"] });
            const root = check(unmanaged.report, "root-access");
            assert.equal(root.status, "fail");
            assert.match(
                root.fix ?? "",
                /aws iam enable-organizations-root-credentials-management && aws iam enable-organizations-root-sessions/,
            );
            const managed = await runDoctorOn(world, KEYS.management, { config: ORG });
            assert.equal(check(managed.report, "root-access").status, "pass");
            assert.match(check(managed.report, "root-access").detail, /pulumi up enables them/);
        });

        it("an organization with consolidated billing only fails the management check", async () => {
            const world = organizationWorld(false);
            accountOf(world, KEYS.management).organization!.featureSet = "CONSOLIDATED_BILLING";
            const run = await runDoctorOn(world, KEYS.management, { config: ORG });
            assert.equal(check(run.report, "management-account").status, "fail");
            assert.match(check(run.report, "management-account").fix ?? "", /enable-all-features/);
            assert.equal(check(run.report, "root-access").status, "fail");
        });
    });

    describe("a member account", () => {
        it("organization mode: fails on the management account and names it; the management-only checks cannot be judged", async () => {
            const run = await runDoctorOn(organizationWorld(true), KEYS.member, { config: ORG });
            const mgmt = check(run.report, "management-account");
            assert.equal(mgmt.status, "fail");
            assert.match(mgmt.detail, new RegExp(`account ${IDS.member} is a member of o-abcdefghij`));
            assert.match(mgmt.fix ?? "", new RegExp(`credentials of account ${IDS.management}`));
            for (const id of ["scp-policy-type", "trusted-access", "root-access", "rule-names"]) {
                assert.equal(check(run.report, id).status, "cannot-check", id);
                assert.match(check(run.report, id).detail, /only the management account/);
            }
            // The member sees the organization trail as a shadow trail.
            assert.equal(check(run.report, "trail").status, "pass");
            assert.match(check(run.report, "trail").detail, /organization trail org-trail/);
            assert.ok(!run.calls.some((c) => c.action === "organizations:ListRoots"), "no management-only call from a member");
        });

        it("account mode: a member with a recorder and the organization trail passes everything once createRecorder is false", async () => {
            const unset = await runDoctorOn(organizationWorld(true), KEYS.member);
            assert.deepEqual(
                unset.report.checks.filter((c) => c.status !== "pass").map((c) => [c.id, c.fix]),
                [["config-recorder", "pulumi config set rootguard:createRecorder false"]],
            );
            assert.match(
                check(unset.report, "config-recorder").detail,
                /us-east-1 already has recorder default, so the stack must use it$/,
            );
            const run = await runDoctorOn(organizationWorld(true), KEYS.member, { config: ["createRecorder=false"] });
            assert.equal(run.report.summary.fail + run.report.summary.cannotCheck, 0, run.output);
            assert.equal(run.exitCode, 0);
        });
    });

    describe("a delegated administrator (a member deploying organization mode)", () => {
        const ALL = [...CONFIG_SERVICES, "iam.amazonaws.com"];

        it("registered for Config and IAM, without SCPs: every check passes, reading as the delegated administrator", async () => {
            const run = await runDoctorOn(delegatedAdministratorWorld(ALL), KEYS.member, {
                config: [...DELEGATED, "serviceControlPolicies=false"],
            });
            assert.deepEqual(
                run.report.checks.filter((c) => c.status !== "pass"),
                [],
            );
            assert.match(
                check(run.report, "management-account").detail,
                new RegExp(
                    `^account ${IDS.member} is the delegated administrator for iam.amazonaws.com, config-multiaccountsetup.amazonaws.com, config.amazonaws.com`,
                ),
            );
            assert.ok(run.calls.some((c) => c.action === "config:DescribeOrganizationConfigRules" && c.keyId === KEYS.member));
            assert.deepEqual(
                run.report.notNeeded.find((n) => n.id === "scp-policy-type"),
                { id: "scp-policy-type", reason: "serviceControlPolicies is false" },
            );
            assert.equal(run.exitCode, 0);
        });

        it("registered for Config only: the missing IAM registration fails with the command for the management account", async () => {
            const run = await runDoctorOn(delegatedAdministratorWorld(CONFIG_SERVICES), KEYS.member, {
                config: [...DELEGATED, "serviceControlPolicies=false"],
            });
            const mgmt = check(run.report, "management-account");
            assert.equal(mgmt.status, "fail");
            assert.match(mgmt.detail, /not its delegated administrator for iam\.amazonaws\.com \(centralized root access\)/);
            assert.match(
                mgmt.fix ?? "",
                new RegExp(
                    `^from the management account ${IDS.management}: aws organizations register-delegated-administrator --account-id ${IDS.member} --service-principal iam\\.amazonaws\\.com;`,
                ),
            );
            assert.equal(check(run.report, "root-access").status, "cannot-check");
            assert.equal(check(run.report, "rule-names").status, "pass", "Config's delegated administrator reads organization rules");
        });

        it("registered for nothing: the reads are refused, so the organization checks cannot be judged and point to the registrations", async () => {
            const run = await runDoctorOn(organizationWorld(true), KEYS.member, { config: [...DELEGATED, "serviceControlPolicies=false"] });
            const mgmt = check(run.report, "management-account");
            assert.equal(mgmt.status, "cannot-check");
            assert.match(
                mgmt.detail,
                new RegExp(`account ${IDS.member} is no delegated administrator in o-abcdefghij, or the caller may not call it`),
            );
            assert.match(
                mgmt.fix ?? "",
                /register-delegated-administrator .*iam\.amazonaws\.com.*config-multiaccountsetup.*config\.amazonaws\.com/,
            );
            for (const id of ["trusted-access", "rule-names"]) {
                assert.equal(check(run.report, id).status, "cannot-check", id);
                assert.match(
                    check(run.report, id).detail,
                    /was refused .* only for the management account 222222222222 or a delegated administrator/,
                    id,
                );
            }
            assert.equal(run.exitCode, 2);
        });

        it("with SCPs: a member cannot see whether policy management is delegated to it, so the SCP check cannot be judged", async () => {
            const run = await runDoctorOn(delegatedAdministratorWorld(ALL), KEYS.member, { config: DELEGATED });
            const scp = check(run.report, "scp-policy-type");
            assert.equal(scp.status, "cannot-check");
            assert.match(scp.detail, /^SCPs are enabled on root r-ab12, but account 333333333333 is not the management account/);
            assert.match(scp.fix ?? "", /or pulumi config set rootguard:serviceControlPolicies false$/);
        });

        it("organization-wide root activity alerts: only the management account deploys their StackSet, so the check fails with the key", async () => {
            const run = await runDoctorOn(delegatedAdministratorWorld(ALL), KEYS.member, {
                config: [...ORG, "manageOrganizationsFeatures=false", "serviceControlPolicies=false"],
            });
            const mgmt = check(run.report, "management-account");
            assert.equal(mgmt.status, "fail");
            assert.match(
                mgmt.detail,
                /rootguard:rootActivityAlerts is true: organization-wide root activity alerts deploy from the management account only/,
            );
            assert.match(
                mgmt.fix ?? "",
                new RegExp(`credentials of account ${IDS.management}; .*pulumi config set rootguard:rootActivityAlerts false$`),
            );
            for (const id of ["trusted-access", "root-access", "rule-names"]) {
                assert.equal(check(run.report, id).status, "cannot-check", id);
                assert.match(check(run.report, id).detail, /only the management account .* \(rootguard:rootActivityAlerts\)/, id);
            }
        });

        it("an organization trail (createTrail): CloudTrail's own delegated administrator registration, with CloudTrail's command", async () => {
            const run = await runDoctorOn(delegatedAdministratorWorld(ALL), KEYS.member, {
                config: [...DELEGATED, "serviceControlPolicies=false", "createTrail=true"],
            });
            const mgmt = check(run.report, "management-account");
            assert.equal(mgmt.status, "fail");
            assert.match(mgmt.detail, /not its delegated administrator for cloudtrail\.amazonaws\.com \(the organization trail\)/);
            assert.match(
                mgmt.fix ?? "",
                new RegExp(
                    `^from the management account ${IDS.management}: aws cloudtrail register-organization-delegated-admin --member-account-id ${IDS.member};`,
                ),
            );
            const registered = await runDoctorOn(delegatedAdministratorWorld([...ALL, "cloudtrail.amazonaws.com"]), KEYS.member, {
                config: [...DELEGATED, "serviceControlPolicies=false", "createTrail=true"],
            });
            assert.equal(check(registered.report, "management-account").status, "pass");
        });

        it("centralized root access off: only the management account can turn it on, so the fix names it", async () => {
            const world = delegatedAdministratorWorld(ALL);
            accountOf(world, KEYS.member).organization!.rootAccessFeatures = [];
            const run = await runDoctorOn(world, KEYS.member, { config: [...DELEGATED, "serviceControlPolicies=false"] });
            const root = check(run.report, "root-access");
            assert.equal(root.status, "fail");
            assert.match(
                root.fix ?? "",
                new RegExp(`^from the management account ${IDS.management}: aws iam enable-organizations-root-credentials-management`),
            );
            assert.doesNotMatch(root.fix ?? "", /manageOrganizationsFeatures true/);
        });
    });

    describe("a fully prepared organization", () => {
        it("every check passes (exit 0), reading the example organization stack file", async () => {
            const run = await runDoctorOn(organizationWorld(true), KEYS.management, { stack: "example-organization" });
            assert.equal(run.report.stackFile?.endsWith("Pulumi.example-organization.yaml"), true);
            assert.equal(run.report.mode, "organization");
            assert.deepEqual(
                run.report.checks.filter((c) => c.status !== "pass"),
                [],
            );
            assert.equal(run.exitCode, 0);
            assert.match(run.output, /^doctor: 10 pass · 0 fail · 0 cannot-check \(exit 0\)$/m);
        });

        it("calls exactly the actions the checks declare (the permissions table is complete)", async () => {
            const run = await runDoctorOn(organizationWorld(true), KEYS.management, { stack: "example-organization" });
            const declared = new Set([...CALLER_CHECK.permissions, ...CHECKS.flatMap((c) => c.permissions)]);
            const called = new Set(run.calls.map((c) => c.action));
            assert.deepEqual(
                [...called].filter((a) => !declared.has(a)),
                [],
                "undeclared calls",
            );
            // Everything declared is called on this run except the account-mode rule lookup and the delegated administrator's.
            assert.deepEqual([...declared].filter((a) => !called.has(a)).sort(), [
                "config:DescribeConfigRules",
                "organizations:ListDelegatedServicesForAccount",
            ]);
        });

        it("scpTargets naming another root fails with the organization's root id", async () => {
            const run = await runDoctorOn(organizationWorld(true), KEYS.management, {
                stack: "example-organization",
                config: ['scpTargets=["r-zz99"]'],
            });
            const scp = check(run.report, "scp-policy-type");
            assert.equal(scp.status, "fail");
            assert.match(scp.detail, /names r-zz99 but the organization's root is r-ab12/);
        });

        it("access denied on one call: that check cannot be judged and names the permission; exit 2", async () => {
            const world = organizationWorld(true);
            accountOf(world, KEYS.management).denied.push("cloudtrail:DescribeTrails");
            const run = await runDoctorOn(world, KEYS.management, { config: ORG });
            const trail = check(run.report, "trail");
            assert.equal(trail.status, "cannot-check");
            assert.match(trail.detail, /access denied to cloudtrail:DescribeTrails \(AccessDeniedException\)/);
            assert.match(trail.fix ?? "", /allow cloudtrail:DescribeTrails/);
            assert.equal(run.report.summary.fail, 0);
            assert.equal(run.exitCode, 2);
        });

        it("access denied by IAM (Query protocol) on iam:ListOrganizationsFeatures is named the same way", async () => {
            const world = organizationWorld(true);
            accountOf(world, KEYS.management).denied.push("iam:ListOrganizationsFeatures");
            const run = await runDoctorOn(world, KEYS.management, { config: ORG });
            assert.match(check(run.report, "root-access").detail, /access denied to iam:ListOrganizationsFeatures \(AccessDenied\)/);
        });
    });

    describe("the Config recorder", () => {
        it("a recorder that is not recording fails with the start command (and, while createRecorder is unset, false first)", async () => {
            const world = freshStandaloneWorld();
            accountOf(world, KEYS.standalone).recorders.push({ name: "default", recording: false });
            const start = "aws configservice start-configuration-recorder --configuration-recorder-name default --region us-east-1";
            const run = await runDoctorOn(world, KEYS.standalone, { config: ["createRecorder=false"] });
            const rec = check(run.report, "config-recorder");
            assert.equal(rec.status, "fail");
            assert.equal(rec.fix, start);
            const unset = check((await runDoctorOn(world, KEYS.standalone)).report, "config-recorder");
            assert.match(unset.detail, /^rootguard:createRecorder is not set.*recorder default in us-east-1 is not recording/);
            assert.equal(unset.fix, `pulumi config set rootguard:createRecorder false and ${start}`);
        });

        it("createRecorder with a recorder already there fails (one per region)", async () => {
            const world = freshStandaloneWorld();
            accountOf(world, KEYS.standalone).recorders.push({ name: "existing", recording: true });
            const run = await runDoctorOn(world, KEYS.standalone, { config: ["createRecorder=true"] });
            assert.equal(check(run.report, "config-recorder").status, "fail");
            assert.equal(check(run.report, "config-recorder").fix, "pulumi config set rootguard:createRecorder false");
        });

        it("a service-linked recorder does not count as the account's recorder", async () => {
            const world = freshStandaloneWorld();
            accountOf(world, KEYS.standalone).recorders.push({
                name: "AWSConfigurationRecorderForSecurityHub",
                recording: true,
                servicePrincipal: "securityhub.amazonaws.com",
            });
            const run = await runDoctorOn(world, KEYS.standalone, { config: ["createRecorder=false"] });
            assert.match(check(run.report, "config-recorder").detail, /no AWS Config recorder/);
            const unset = await runDoctorOn(world, KEYS.standalone);
            assert.equal(check(unset.report, "config-recorder").fix, "pulumi config set rootguard:createRecorder true");
        });
    });

    describe("the trail", () => {
        it("createTrail: the stack creates it, so no trail is needed; an organization trail's trusted access is pulumi up's", async () => {
            const account = await runDoctorOn(freshStandaloneWorld(), KEYS.standalone, {
                config: ["createRecorder=true", "createTrail=true"],
            });
            assert.deepEqual(
                account.report.notNeeded.find((n) => n.id === "trail"),
                { id: "trail", reason: "createTrail is true: pulumi up creates the multi-region trail" },
            );
            assert.equal(account.exitCode, 0, account.output);
            const organization = await runDoctorOn(organizationWorld(true), KEYS.management, { config: [...ORG, "createTrail=true"] });
            assert.equal(check(organization.report, "trusted-access").status, "pass");
            assert.match(check(organization.report, "trusted-access").detail, /pulumi up enables cloudtrail\.amazonaws\.com itself/);
            assert.ok(!organization.calls.some((c) => c.action.startsWith("cloudtrail:")), "no trail read");
        });

        it("a single-region trail fails with the update-trail command", async () => {
            const world = freshStandaloneWorld();
            accountOf(world, KEYS.standalone).trails.push({ name: "local", homeRegion: "us-east-1", multiRegion: false, logging: true });
            const run = await runDoctorOn(world, KEYS.standalone);
            assert.match(
                check(run.report, "trail").fix ?? "",
                /aws cloudtrail update-trail --name arn:aws:cloudtrail:us-east-1:111111111111:trail\/local --is-multi-region-trail/,
            );
        });

        it("a multi-region trail homed elsewhere that stopped logging fails with start-logging in its home region", async () => {
            const world = freshStandaloneWorld();
            accountOf(world, KEYS.standalone).trails.push({ name: "main", homeRegion: "eu-west-1", multiRegion: true, logging: false });
            const run = await runDoctorOn(world, KEYS.standalone);
            const trail = check(run.report, "trail");
            assert.equal(trail.status, "fail");
            assert.match(trail.fix ?? "", /start-logging --name arn:aws:cloudtrail:eu-west-1:111111111111:trail\/main --region eu-west-1/);
            assert.ok(
                run.calls.some((c) => c.action === "cloudtrail:GetTrailStatus" && c.region === "eu-west-1"),
                "status read in the home region",
            );
        });

        it("read-only management events fail; advanced selectors logging management events pass", async () => {
            const world = freshStandaloneWorld();
            const acct = accountOf(world, KEYS.standalone);
            acct.trails.push({
                name: "reads",
                homeRegion: "us-east-1",
                multiRegion: true,
                logging: true,
                eventSelectors: [{ ReadWriteType: "ReadOnly", IncludeManagementEvents: true }],
            });
            const readOnly = await runDoctorOn(world, KEYS.standalone);
            assert.match(check(readOnly.report, "trail").detail, /does not log write management events/);
            acct.trails[0].eventSelectors = undefined;
            acct.trails[0].advancedEventSelectors = [
                { Name: "mgmt", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] },
            ];
            const advanced = await runDoctorOn(world, KEYS.standalone);
            assert.equal(check(advanced.report, "trail").status, "pass");
        });
    });

    describe("rule names", () => {
        it("a rule added in the Config console keeps its console name and never collides with rootguard's prefixed name", async () => {
            const world = freshStandaloneWorld();
            accountOf(world, KEYS.standalone).configRules.push({
                name: ROOT_ACCESS_KEY_RULE.consoleName,
                identifier: ROOT_ACCESS_KEY_RULE.identifier,
                description: "added in the console",
            });
            const run = await runDoctorOn(world, KEYS.standalone);
            const names = check(run.report, "rule-names");
            assert.equal(names.status, "pass");
            assert.match(
                names.detail,
                /^no Config rule named rootguard-iam-root-access-key-check, rootguard-root-account-mfa-enabled in us-east-1 yet/,
            );
            assert.ok(run.calls.filter((c) => c.action === "config:DescribeConfigRules").length === 2, "one lookup per planned rule name");
        });

        it("a hand-made rule given rootguard's exact name fails (another prefix or deleting it fixes it); one rootguard created passes", async () => {
            const world = freshStandaloneWorld();
            const acct = accountOf(world, KEYS.standalone);
            acct.configRules.push({
                name: "rootguard-iam-root-access-key-check",
                identifier: ROOT_ACCESS_KEY_RULE.identifier,
                description: "made by hand",
            });
            const foreign = await runDoctorOn(world, KEYS.standalone);
            const names = check(foreign.report, "rule-names");
            assert.equal(names.status, "fail");
            assert.match(
                names.detail,
                /^Config rule rootguard-iam-root-access-key-check exists in us-east-1 but was not created by rootguard/,
            );
            assert.match(names.fix ?? "", /pulumi config set rootguard:namePrefix <another prefix>/);
            assert.match(
                names.fix ?? "",
                /aws configservice delete-config-rule --config-rule-name rootguard-iam-root-access-key-check --region us-east-1$/,
            );
            const otherPrefix = await runDoctorOn(world, KEYS.standalone, { config: ["namePrefix=guard"] });
            assert.match(check(otherPrefix.report, "rule-names").detail, /^no Config rule named guard-iam-root-access-key-check, /);

            acct.configRules[0].description = ROOT_ACCESS_KEY_RULE.description;
            acct.configRules.push({
                name: ROOT_MFA_RULE.defaultName,
                identifier: ROOT_MFA_RULE.identifier,
                description: ROOT_MFA_RULE.description,
            });
            const ours = await runDoctorOn(world, KEYS.standalone);
            assert.equal(check(ours.report, "rule-names").status, "pass");
            assert.match(
                check(ours.report, "rule-names").detail,
                /already deployed by rootguard: pulumi up updates them if this stack made them/,
            );
        });

        it("organization mode looks at organization rules", async () => {
            const world = organizationWorld(true);
            accountOf(world, KEYS.management).organization!.organizationRules.push({
                name: ROOT_MFA_RULE.defaultName,
                identifier: ROOT_MFA_RULE.identifier,
                description: "",
            });
            const run = await runDoctorOn(world, KEYS.management, { config: ORG });
            assert.match(
                check(run.report, "rule-names").fix ?? "",
                /delete-organization-config-rule --organization-config-rule-name rootguard-root-account-mfa-enabled/,
            );
        });
    });

    describe("Lambda concurrency", () => {
        it("a reservation the remediator already holds counts as available (a redeploy)", async () => {
            const world = freshStandaloneWorld();
            const acct = accountOf(world, KEYS.standalone);
            const config = ["reservedConcurrency=6"];
            acct.lambda = { limit: 106, unreserved: 100, functions: { "rootguard-remediator": 6 } };
            const run = await runDoctorOn(world, KEYS.standalone, { config });
            const held = check(run.report, "lambda-concurrency");
            assert.equal(held.status, "pass", held.detail);
            assert.match(held.detail, /reserving 6 covers 6 at once .* leaves 100 of 106 unreserved .*already holds 6/);
            acct.lambda = { limit: 106, unreserved: 100, functions: {} };
            const fresh = await runDoctorOn(world, KEYS.standalone, { config });
            assert.equal(check(fresh.report, "lambda-concurrency").status, "fail");
            assert.match(
                check(fresh.report, "lambda-concurrency").fix ?? "",
                /^pulumi config set rootguard:reservedConcurrency 0, or raise the quota/,
            );
        });

        it("a reservation smaller than the workers plus the reconcile fails and offers one that covers them", async () => {
            const world = freshStandaloneWorld();
            accountOf(world, KEYS.standalone).lambda = { limit: 1000, unreserved: 1000, functions: {} };
            const run = await runDoctorOn(world, KEYS.standalone, { config: ["reservedConcurrency=5"] });
            const lambda = check(run.report, "lambda-concurrency");
            assert.equal(lambda.status, "fail");
            assert.match(lambda.detail, /may run 6 at once .* but can get only 5 \(its reservation of 5\): Lambda throttles the rest/);
            assert.equal(
                lambda.fix,
                "pulumi config set rootguard:reservedConcurrency 6, or pulumi config set rootguard:concurrency 4, or raise the quota (Service Quotas → AWS Lambda → Concurrent executions)",
            );
        });
    });

    describe("the alert topic's key", () => {
        it("an AWS managed key fails: CloudWatch (the dead-letter alarm) and EventBridge cannot use it", async () => {
            const run = await runDoctorOn(freshStandaloneWorld(), KEYS.standalone, { config: ["alertKmsKeyId=alias/aws/sns"] });
            const key = check(run.report, "alert-key");
            assert.equal(key.status, "fail");
            assert.match(key.detail, /AWS managed key: its policy cannot let cloudwatch\.amazonaws\.com and events\.amazonaws\.com use it/);
            assert.match(key.fix ?? "", /^pulumi config set rootguard:alertKmsKeyId ""/);
        });

        it("a customer managed key passes and names the services its policy must admit (only CloudWatch without root activity alerts)", async () => {
            const run = await runDoctorOn(freshStandaloneWorld(), KEYS.standalone, {
                config: ["alertKmsKeyId=alias/ops-alerts", "rootActivityAlerts=false"],
            });
            const key = check(run.report, "alert-key");
            assert.equal(key.status, "pass");
            assert.match(key.detail, /^alias\/ops-alerts: its key policy must let cloudwatch\.amazonaws\.com use it/);
        });
    });

    describe("regions and partitions", () => {
        it("a region where Config does not offer the root access key rule stops doctor with the stack's message", async () => {
            await assert.rejects(
                runDoctorOn(freshStandaloneWorld(), KEYS.standalone, { region: "il-central-1" }),
                (err: unknown) =>
                    err instanceof UserError &&
                    /^aws:region il-central-1 cannot host rootguard's rules: .*such as us-east-1/.test(err.message),
            );
        });

        it("GovCloud: no region there offers root-account-mfa-enabled, so the stack skips it and doctor notes the warning", async () => {
            const world = freshStandaloneWorld();
            accountOf(world, KEYS.standalone).arn = `arn:aws-us-gov:sts::${IDS.standalone}:assumed-role/Deployer/doctor`;
            const run = await runDoctorOn(world, KEYS.standalone, { region: "us-gov-west-1" });
            assert.equal(check(run.report, "region").status, "pass");
            assert.match(check(run.report, "region").detail, /AWS Config offers IAM_ROOT_ACCESS_KEY_CHECK there$/);
            assert.match(run.output, /^note: pulumi up will warn: rootguard:rootMfaRule is true, but .*: the rule is skipped/m);
        });

        it("credentials of another partition than aws:region fail the region check", async () => {
            const run = await runDoctorOn(freshStandaloneWorld(), KEYS.standalone, { region: "cn-north-1" });
            assert.equal(check(run.report, "region").status, "fail");
            assert.match(check(run.report, "region").detail, /partition aws-cn but the credentials are for partition aws/);
        });
    });

    describe("endpoints that do not answer", () => {
        it("an unreachable endpoint: one clear line well within the deadline, exit 2", async () => {
            const closed = await (await import("../fixtures/fake-aws/server")).startFakeAws({ accounts: {} });
            const url = closed.url;
            await closed.close();
            const run = await runDoctorOn(freshStandaloneWorld(), KEYS.standalone, { url, timeout: "10" });
            assert.equal(run.exitCode, 2);
            assert.equal(run.report.checks.length, 1);
            const caller = check(run.report, "caller");
            assert.equal(caller.status, "cannot-check");
            assert.match(
                caller.detail,
                new RegExp(`cannot reach AWS for sts:GetCallerIdentity at ${url} \\(AWS_ENDPOINT_URL_STS\\) \\(ECONNREFUSED\\)`),
            );
            assert.match(run.output, /doctor stopped: without the caller's identity/);
            assert.ok(run.ms < 10_000, `took ${run.ms} ms`);
        });

        it("a hanging endpoint: the overall deadline fires and names the call it waited for", async () => {
            const world = freshStandaloneWorld();
            world.hang = ["sts"];
            const run = await runDoctorOn(world, KEYS.standalone, { timeout: "1.5" });
            assert.equal(run.exitCode, 2);
            assert.match(
                check(run.report, "caller").detail,
                /did not finish within the 2 s deadline \(waiting for sts:GetCallerIdentity at http/,
            );
            assert.ok(run.ms >= 1400 && run.ms < 4000, `took ${run.ms} ms`);
        });

        it("one hanging service: its check alone runs out of time, the others report", async () => {
            const world = organizationWorld(true);
            world.hang = ["lambda"];
            const run = await runDoctorOn(world, KEYS.management, { config: ORG, timeout: "2" });
            assert.equal(check(run.report, "lambda-concurrency").status, "cannot-check");
            assert.match(check(run.report, "lambda-concurrency").detail, /waiting for lambda:GetAccountSettings/);
            assert.equal(run.report.summary.pass, 9);
            assert.equal(run.exitCode, 2);
        });
    });
});
