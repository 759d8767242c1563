/**
 * The remediator's effective permissions and the SCPs, evaluated by an IAM policy simulator
 * (`@cloud-copilot/iam-simulate`) rather than by reading statements:
 * - every AWS SDK call the remediator's code sends (read from its source) is allowed on the resources the stack
 *   hands it, and nothing else is allowed — every action of every service its role names, on any resource;
 * - the SCPs deny the root user iam:CreateAccessKey, and the deny-all-root SCP still lets an AssumeRoot session
 *   list and delete root access keys.
 * Policies are taken from whatever the program generates, so roles and statements other components add are
 * held to the same standard.
 */
import { strict as assert } from "node:assert";
import { AUDIT_TASK_POLICY, DELETE_TASK_ACTIONS, DELETE_TASK_POLICY, taskPolicyArn } from "../../src/core/aws-facts";
import { REMEDIATOR_ENV } from "../../src/remediator/contract";
import { arnFitsForm, actionFacts } from "./helpers/iam-reference";
import { GeneratedDocument, generatedDocuments, list, statements } from "./helpers/policy-documents";
import { ACCOUNT_ID, one, ProgramRun, RecordedResource } from "./helpers/program";
import { remediatorSdkCalls, SdkCall } from "./helpers/remediator-calls";
import { decide, exampleResources, FULL_AWS_ACCESS, serviceActions } from "./helpers/simulate";
import { STACK_VARIANTS, variantRun } from "./helpers/stack-variants";

const MEMBER_ACCOUNT = "111122223333";

/** Calls AWS authorizes without any policy (STS API reference: "No permissions are required"). */
const NEEDS_NO_PERMISSION = new Set(["sts:GetCallerIdentity"]);

/** A permission the remediator needs on a resource, and why. */
interface Need {
    action: string;
    resource: string;
    context?: Record<string, string>;
    why: string;
}

interface Remediator {
    fn: RecordedResource;
    role: RecordedResource;
    policies: unknown[];
    region: string;
    /** Resource policies of the stack's resources by ARN: a key policy must admit the caller too (KMS). */
    resourcePolicies: Map<string, unknown>;
}

function remediatorOf(run: ProgramRun): Remediator {
    const fn = one(run, "aws:lambda/function:Function");
    const role = run.resources.find((r) => r.type === "aws:iam/role:Role" && r.state.arn === fn.inputs.role);
    assert.ok(role, "the function's role is in the stack");
    const attached = run.resources.filter(
        (r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && [role.id, role.state.name].includes(r.inputs.role),
    );
    assert.deepEqual(
        attached.map((a) => a.inputs.policyArn),
        [],
        "managed policies cannot be simulated from here: keep the remediator's policy inline",
    );
    const policies = generatedDocuments(run)
        .filter(
            (d: GeneratedDocument) =>
                d.kind === "identity" &&
                (d.resource === role || [role.id, role.state.name, role.state.arn].includes(d.resource.inputs.role)),
        )
        .map((d) => d.doc);
    assert.ok(policies.length > 0, "the remediator role has a policy");
    const resourcePolicies = new Map<string, unknown>();
    for (const d of generatedDocuments(run)) if (d.kind === "resource" && d.target) resourcePolicies.set(d.target, d.doc);
    return { fn, role, policies, region: fn.state.arn.split(":")[3], resourcePolicies };
}

/** What the function is handed (environment, dead-letter queue), as ARNs of the stack's resources. */
function referencedArns(run: ProgramRun, fn: RecordedResource): string[] {
    const values: string[] = [
        ...Object.values((fn.inputs.environment?.variables ?? {}) as Record<string, string>),
        fn.inputs.deadLetterConfig?.targetArn,
    ].filter((v): v is string => typeof v === "string");
    const arns = new Set<string>();
    for (const v of values) {
        for (const part of v.split(",")) {
            if (part.startsWith("arn:")) arns.add(part);
            const r = run.resources.find(
                (o) => o.custom && o.state.arn && (o.id === part || o.state.name === part || o.state.url === part),
            );
            if (r) arns.add(r.state.arn);
        }
    }
    return [...arns];
}

async function needs(run: ProgramRun, rem: Remediator, calls: SdkCall[]): Promise<Need[]> {
    const env = rem.fn.inputs.environment.variables as Record<string, string>;
    const organization = env[REMEDIATOR_ENV.mode] === "organization";
    const canDelete = env[REMEDIATOR_ENV.action] !== "notify" && env[REMEDIATOR_ENV.dryRun] !== "true";
    const referenced = referencedArns(run, rem.fn);
    const out: Need[] = [];
    for (const call of calls) {
        if (call.viaRootSession || NEEDS_NO_PERMISSION.has(call.action)) continue;
        if (call.action === "sts:AssumeRoot") {
            // Member accounts exist only in organization mode; the code asks for the audit task always and for
            // the delete task when it may delete.
            if (!organization) continue;
            for (const task of canDelete ? [AUDIT_TASK_POLICY, DELETE_TASK_POLICY] : [AUDIT_TASK_POLICY]) {
                out.push({
                    action: call.action,
                    resource: `arn:aws:iam::${MEMBER_ACCOUNT}:root`,
                    context: { "sts:TaskPolicyArn": taskPolicyArn(task) },
                    why: `${call.command} with ${task} (${call.files.join(", ")})`,
                });
            }
            continue;
        }
        const [service, name] = call.action.split(":");
        const facts = await actionFacts(service, name);
        if (facts.wildcardOnly) {
            out.push({ action: call.action, resource: "*", why: `${call.command} (${call.files.join(", ")})` });
            continue;
        }
        // The call is made on the resources the stack hands the function; none in this mode: not made here.
        for (const arn of referenced.filter((a) => facts.resourceTypes.some((rt) => arnFitsForm(a, rt.arn)))) {
            out.push({ action: call.action, resource: arn, why: `${call.command} (${call.files.join(", ")})` });
        }
    }
    // What Lambda itself does with the execution role (Lambda developer guide: execution role, dead-letter queues).
    const logGroup = run.resources.find(
        (r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && r.state.name === rem.fn.inputs.loggingConfig?.logGroup,
    );
    assert.ok(logGroup, "the function logs to a log group of the stack");
    for (const action of ["logs:CreateLogStream", "logs:PutLogEvents"]) {
        out.push({
            action,
            resource: `${logGroup.state.arn}:log-stream:2026/11/30/[$LATEST]0123456789abcdef`,
            why: "Lambda writes the function's logs",
        });
    }
    if (rem.fn.inputs.deadLetterConfig?.targetArn) {
        out.push({
            action: "sqs:SendMessage",
            resource: rem.fn.inputs.deadLetterConfig.targetArn,
            why: "Lambda sends failed async events to the DLQ",
        });
    }
    // An SQS event source mapping polls with the function's execution role (Lambda developer guide, "Using Lambda
    // with Amazon SQS": execution role permissions ReceiveMessage, DeleteMessage, GetQueueAttributes).
    for (const mapping of run.resources.filter((r) => r.type === "aws:lambda/eventSourceMapping:EventSourceMapping")) {
        if (mapping.inputs.functionName !== rem.fn.state.name && mapping.inputs.functionName !== rem.fn.state.arn) continue;
        for (const action of ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"])
            out.push({ action, resource: mapping.inputs.eventSourceArn, why: "Lambda polls the work queue for the function" });
    }
    // Publishing to a topic under a customer managed key needs the key (SNS developer guide, SSE).
    for (const topicArn of out.filter((n) => n.action === "sns:Publish").map((n) => n.resource)) {
        const topic = run.resources.find((r) => r.type === "aws:sns/topic:Topic" && r.state.arn === topicArn);
        const key = topic?.inputs.kmsMasterKeyId;
        if (typeof key === "string" && /^arn:[^:]+:kms:[^:]+:\d{12}:key\//.test(key)) {
            for (const action of ["kms:GenerateDataKey", "kms:Decrypt"])
                out.push({ action, resource: key, why: `SNS encrypts ${topicArn} with this key for the publisher` });
        }
    }
    return out;
}

function principalOf(rem: Remediator): string {
    return `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${rem.role.state.name}/${rem.fn.state.name}`;
}

/**
 * The key policy AWS gives a key created without one ("Default key policy", AWS KMS developer guide): the
 * account's IAM policies decide. Used for a key the stack does not manage (alertKmsKeyId); its real policy is
 * the user's to check.
 */
function defaultKeyPolicy(account: string): unknown {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "Enable IAM User Permissions",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${account}:root` },
                Action: "kms:*",
                Resource: "*",
            },
        ],
    };
}

/** A request from the function's role, as the SDK sends it (over TLS), with the resource's own policy. */
function asRemediator(rem: Remediator, action: string, resource: string, context: Record<string, string> = {}) {
    return {
        principal: principalOf(rem),
        action,
        resource,
        // AssumeRoot has no resource policy: the caller's identity policy decides (and the organization's
        // centralized root access), so the request is evaluated as the caller's own.
        resourceAccount: action === "sts:AssumeRoot" || resource === "*" ? ACCOUNT_ID : undefined,
        context: { "aws:SecureTransport": "true", "aws:PrincipalArn": rem.role.state.arn, ...context },
        identityPolicies: rem.policies,
        resourcePolicy:
            rem.resourcePolicies.get(resource) ??
            (/^arn:aws:kms:[^:]+:\d{12}:key\//.test(resource) ? defaultKeyPolicy(resource.split(":")[4]) : undefined),
    };
}

/**
 * Requests the role allows beyond `required`: every action of every service its policy names (and all of IAM
 * and STS), on an example of each of the action's resource types and on every resource the stack hands it.
 */
async function unexpectedlyAllowed(rem: Remediator, required: Need[]): Promise<{ extra: string[]; simulated: number }> {
    const services = new Set(["iam", "sts"]);
    for (const p of rem.policies) for (const st of statements(p as any)) for (const a of list(st.Action)) services.add(a.split(":")[0]);
    const needed = new Set(required.map((n) => `${n.action} ${n.resource}`));
    const extra: string[] = [];
    let simulated = 0;
    const touched = [...new Set(required.map((n) => n.resource))].filter((r) => r !== "*");
    for (const service of services) {
        for (const action of await serviceActions(service)) {
            if (NEEDS_NO_PERMISSION.has(action)) continue;
            const examples = await exampleResources(action, rem.region, ACCOUNT_ID);
            // Every resource type's example, and every resource the stack hands the remediator.
            const resources = examples[0] === "*" ? examples : [...examples, ...touched];
            for (const resource of resources) {
                if (needed.has(`${action} ${resource}`)) continue;
                let decision;
                try {
                    decision = await decide(asRemediator(rem, action, resource));
                } catch {
                    continue; // the resource is not one this action takes
                }
                simulated++;
                if (decision === "Allowed") extra.push(`${action} on ${resource}`);
            }
        }
    }
    return { extra, simulated };
}

describe("stacks: the remediator's permissions, simulated", function () {
    this.timeout(300_000);
    const calls = remediatorSdkCalls();

    it("reads the calls from the remediator's code and maps them to IAM actions through the SDK", () => {
        const actions = calls.map((c) => c.action);
        for (const expected of [
            "iam:GetCredentialReport",
            "sns:Publish",
            "sts:AssumeRoot",
            "iam:DeleteAccessKey",
            "config:DescribeAggregateComplianceByConfigRules",
        ]) {
            assert.ok(actions.includes(expected), `${expected} in ${actions.join(", ")}`);
        }
        assert.deepEqual(
            calls
                .filter((c) => c.viaRootSession)
                .map((c) => c.action)
                .sort(),
            ["iam:DeleteAccessKey", "iam:GetAccessKeyLastUsed", "iam:ListAccessKeys"],
        );
    });

    for (const [label, config] of STACK_VARIANTS) {
        describe(label, () => {
            let run: ProgramRun;
            let rem: Remediator;
            let required: Need[];
            before(async () => {
                run = await variantRun(config);
                rem = remediatorOf(run);
                required = await needs(run, rem, calls);
            });

            it("every call the code makes in this mode is allowed on the resources it touches", async () => {
                const denied: string[] = [];
                for (const n of required) {
                    const decision = await decide(asRemediator(rem, n.action, n.resource, n.context));
                    if (decision !== "Allowed")
                        denied.push(`${n.action} on ${n.resource} ${JSON.stringify(n.context ?? {})}: ${decision} — needed for ${n.why}`);
                }
                assert.deepEqual(denied, []);
            });

            it("nothing else: every action of every service the role names, and all of IAM and STS, is denied elsewhere", async () => {
                const { extra, simulated } = await unexpectedlyAllowed(rem, required);
                assert.ok(simulated > 300, `only ${simulated} requests simulated`);
                assert.deepEqual(extra, []);
            });

            if (config.mode === "organization") {
                it("AssumeRoot: only the root task policies the configuration needs, and the role itself cannot touch root keys", async () => {
                    const env = rem.fn.inputs.environment.variables as Record<string, string>;
                    const canDelete = env[REMEDIATOR_ENV.action] !== "notify";
                    const root = `arn:aws:iam::${MEMBER_ACCOUNT}:root`;
                    const tasks: [string, boolean][] = [
                        [AUDIT_TASK_POLICY, true],
                        [DELETE_TASK_POLICY, canDelete],
                        ["IAMCreateRootUserPassword", false],
                        ["IAMDeleteRootUserCredentials-Typo", false],
                        ["S3UnlockBucketPolicy", false],
                        ["SQSUnlockQueuePolicy", false],
                    ];
                    for (const [task, allowed] of tasks) {
                        const decision = await decide(
                            asRemediator(rem, "sts:AssumeRoot", root, { "sts:TaskPolicyArn": taskPolicyArn(task) }),
                        );
                        assert.equal(decision === "Allowed", allowed, `${task}: ${decision}`);
                    }
                    for (const call of calls.filter((c) => c.viaRootSession)) {
                        for (const resource of await exampleResources(call.action, rem.region, MEMBER_ACCOUNT)) {
                            assert.notEqual(await decide(asRemediator(rem, call.action, resource)), "Allowed", call.action);
                        }
                    }
                });
            }
        });
    }
});

describe("stacks: the simulation catches what it exists for", function () {
    this.timeout(120_000);
    let run: ProgramRun;
    let rem: Remediator;
    let required: Need[];
    before(async () => {
        run = await variantRun(STACK_VARIANTS[0][1]);
        rem = remediatorOf(run);
        required = await needs(run, rem, remediatorSdkCalls());
    });

    it("a grant beyond the code's calls (a read of every IAM user, publishing to any topic)", async () => {
        const broader = {
            ...rem,
            policies: [
                ...rem.policies,
                { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["iam:ListUsers", "sns:Publish"], Resource: "*" }] },
            ],
        };
        const { extra } = await unexpectedlyAllowed(broader, required);
        assert.ok(extra.includes("iam:ListUsers on *"), extra.join("\n"));
        assert.ok(
            extra.some((e) => e.startsWith("sns:Publish on arn:aws:sns:eu-west-1:123456789012:example")),
            extra.join("\n"),
        );
    });

    it("a call the code makes that the role no longer allows", async () => {
        const narrower = {
            ...rem,
            policies: rem.policies.map((p: any) => ({
                ...p,
                Statement: statements(p).filter((st) => !list(st.Action).includes("sns:Publish")),
            })),
        };
        const publish = required.find((n) => n.action === "sns:Publish")!;
        assert.equal(await decide(asRemediator(narrower, publish.action, publish.resource)), "ImplicitlyDenied");
    });
});

describe("stacks: the SCPs, simulated", function () {
    this.timeout(120_000);
    let scps: unknown[];
    /** The delete task policy as AWS defines it (aws-facts DELETE_TASK_ACTIONS); the session's identity policy. */
    const deleteTask = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [...DELETE_TASK_ACTIONS], Resource: "*" }] };
    const everything = FULL_AWS_ACCESS;
    const memberRoot = `arn:aws:iam::${MEMBER_ACCOUNT}:root`;
    // The IAM simulator checks resources against the action's resource types (a user); the SCPs and the task
    // policy name Resource "*", so the principal and aws:AssumedRoot decide, not the resource.
    const rootUser = `arn:aws:iam::${MEMBER_ACCOUNT}:user/root`;
    const asRoot = { "aws:PrincipalArn": memberRoot, "aws:PrincipalAccount": MEMBER_ACCOUNT };
    const asRootSession = { ...asRoot, "aws:AssumedRoot": "true" };

    before(async () => {
        const run = await variantRun(STACK_VARIANTS.find(([, c]) => c.denyAllRootActions)![1]);
        scps = generatedDocuments(run)
            .filter((d) => d.kind === "scp")
            .map((d) => d.doc);
        assert.equal(scps.length, 2, "deny root access keys and deny all root actions");
    });

    async function under(
        policies: unknown[],
        principal: string,
        action: string,
        context: Record<string, string>,
        identity: unknown,
    ): Promise<string> {
        return decide({
            principal,
            action,
            resource: rootUser,
            context,
            identityPolicies: [identity],
            scps: [[FULL_AWS_ACCESS, ...policies]],
        });
    }

    it("deny root iam:CreateAccessKey: on their own, and together", async () => {
        const keysOnly = scps.filter((p: any) => statements(p).every((s) => list(s.Action).includes("iam:CreateAccessKey")));
        assert.equal(keysOnly.length, 1);
        for (const set of [keysOnly, scps]) {
            assert.equal(await under(set, memberRoot, "iam:CreateAccessKey", asRoot, everything), "ExplicitlyDenied");
            assert.equal(await under(set, memberRoot, "iam:CreateAccessKey", asRootSession, deleteTask), "ExplicitlyDenied");
        }
    });

    it("leave IAM principals alone: an administrator role may still create keys for users", async () => {
        const admin = `arn:aws:sts::${MEMBER_ACCOUNT}:assumed-role/Admin/alice`;
        const context = { "aws:PrincipalArn": `arn:aws:iam::${MEMBER_ACCOUNT}:role/Admin`, "aws:PrincipalAccount": MEMBER_ACCOUNT };
        assert.equal(await under(scps, admin, "iam:CreateAccessKey", context, everything), "Allowed");
    });

    it("deny every other action of the root user, but an AssumeRoot session still lists and deletes root keys", async () => {
        for (const action of ["iam:DeleteAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey"]) {
            assert.equal(await under(scps, memberRoot, action, asRoot, everything), "ExplicitlyDenied", `${action} as root`);
        }
        for (const action of ["iam:ListAccessKeys", "iam:GetAccessKeyLastUsed", "iam:DeleteAccessKey"]) {
            assert.equal(await under(scps, memberRoot, action, asRootSession, deleteTask), "Allowed", `${action} in an AssumeRoot session`);
        }
        // The session is still bounded by its task policy: no deactivation, no new keys.
        assert.notEqual(await under(scps, memberRoot, "iam:UpdateAccessKey", asRootSession, deleteTask), "Allowed");
    });
});
