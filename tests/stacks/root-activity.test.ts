/**
 * Root activity detection, followed end to end under mocks: real sample events (tests/stacks/fixtures) enter the
 * default bus of an account and region, go through every rule, role, bus policy and target the stack creates
 * (and, for member accounts, what its StackSet installs), and either reach the alert topic as one readable line
 * or, for non-root activity, nowhere. Policy decisions come from a real IAM evaluator (helpers/event-route.ts).
 */
import { strict as assert } from "node:assert";
import { wildcardMatch } from "../../src/core/iam-policy";
import { activityRegions, defaultEnabledRegions, PARTITIONS } from "../../src/core/regions";
import {
    alarmEvent,
    cloudTrailEvent,
    CloudTrailRecord,
    IAM_USER_CONSOLE_LOGIN,
    IAM_USER_GET_BUCKET_ACL,
    ROOT_CONSOLE_LOGIN,
    ROOT_CONSOLE_LOGIN_FAILED,
    ROOT_LIST_ACCESS_KEYS,
    ROOT_LIST_BUCKETS,
    ROOT_PASSWORD_UPDATED,
    ROOT_PUT_BUCKET_VERSIONING,
    SERVICE_ROTATE_KEY,
} from "./fixtures/sample-events";
import { allowed, RouteError, StackWorld } from "./helpers/event-route";
import { ACCOUNT_ID, ofType, one, ORGANIZATION_ID, ORGANIZATION_ROOT_ID, ProgramRun, runProgram } from "./helpers/program";

const MEMBER = "210987654321";
const ANOTHER_MEMBER = "345678901234";
const ORG = { id: ORGANIZATION_ID, rootId: ORGANIZATION_ROOT_ID };

const ROOT_EVENTS: [string, CloudTrailRecord][] = [
    ["root console sign-in", ROOT_CONSOLE_LOGIN],
    ["failed root console sign-in", ROOT_CONSOLE_LOGIN_FAILED],
    ["root password change", ROOT_PASSWORD_UPDATED],
    ["root read-only API call (S3 ListBuckets)", ROOT_LIST_BUCKETS],
    ["root read-only API call (IAM ListAccessKeys)", ROOT_LIST_ACCESS_KEYS],
    ["root write API call (S3 PutBucketVersioning)", ROOT_PUT_BUCKET_VERSIONING],
];
const OTHER_EVENTS: [string, CloudTrailRecord][] = [
    ["IAM user console sign-in", IAM_USER_CONSOLE_LOGIN],
    ["IAM user API call through the console", IAM_USER_GET_BUCKET_ACL],
    ["AWS service event (KMS key rotation)", SERVICE_ROTATE_KEY],
];

/** The first line of the e-mail names the account, region, event, source IP and user agent. */
function assertReadable(message: string, record: CloudTrailRecord, account: string, region: string): void {
    const firstLine = message.split("\n")[0];
    for (const fact of [account, region, String(record.eventName), String(record.sourceIPAddress), String(record.userAgent)]) {
        assert.ok(firstLine.includes(fact), `alert lacks ${fact}: ${firstLine}`);
    }
    assert.match(firstLine, /^ROOT USER/);
}

function watchedRegions(run: ProgramRun): string[] {
    const regions = new Set(ofType(run, "aws:cloudwatch/eventRule:EventRule").map((r) => r.inputs.region));
    // In the partition's order (resources register in no particular order).
    return [...Object.values(PARTITIONS).flatMap((p) => [...p.defaultEnabled, ...p.optIn])].filter((r) => regions.has(r));
}

describe("stacks: root activity detection", function () {
    this.timeout(240_000);

    describe("organization mode (stack in eu-west-1)", () => {
        let run: ProgramRun;
        let world: StackWorld;
        before(async () => {
            run = await runProgram({ mode: "organization", "aws:region": "eu-west-1" });
            world = new StackWorld(run, ORG);
        });

        it("a root console sign-in in a member account created after deployment reaches the alert topic, readable", async () => {
            const deliveries = await world.deliver(cloudTrailEvent(ROOT_CONSOLE_LOGIN, { account: MEMBER, region: "us-east-1" }), {
                createdAfterDeployment: true,
            });
            assert.equal(deliveries.length, 1);
            const [d] = deliveries;
            assert.equal(d.topicArn, run.outputs.alertTopicArn);
            assert.deepEqual(d.path, [
                `arn:aws:events:us-east-1:${MEMBER}:rule/rootguard-root-activity-forwarder`,
                `arn:aws:events:eu-west-1:${ACCOUNT_ID}:rule/rootguard-root-activity/rootguard-root-sign-in`,
            ]);
            assertReadable(d.message, ROOT_CONSOLE_LOGIN, MEMBER, "us-east-1");
            assert.match(d.message, /ConsoleLogin Success .*MFA used: No/);
        });

        it("a root ListBuckets in ap-southeast-2 of another member account reaches the alert topic, readable", async () => {
            const deliveries = await world.deliver(
                cloudTrailEvent(ROOT_LIST_BUCKETS, { account: ANOTHER_MEMBER, region: "ap-southeast-2" }),
            );
            assert.equal(deliveries.length, 1);
            assert.deepEqual(deliveries[0].path, [
                `arn:aws:events:ap-southeast-2:${ANOTHER_MEMBER}:rule/rootguard-root-activity-forwarder`,
                `arn:aws:events:eu-west-1:${ACCOUNT_ID}:rule/rootguard-root-activity/rootguard-root-api-call`,
            ]);
            assertReadable(deliveries[0].message, ROOT_LIST_BUCKETS, ANOTHER_MEMBER, "ap-southeast-2");
        });

        it("the path is the stack's doing: without automatic deployment a new account is not covered, without the bus policy nothing arrives", async () => {
            const copy = (): ProgramRun => ({ ...run, resources: JSON.parse(JSON.stringify(run.resources)) });
            const noAuto = copy();
            one(noAuto, "aws:cloudformation/stackSet:StackSet").inputs.autoDeployment.enabled = false;
            const event = cloudTrailEvent(ROOT_CONSOLE_LOGIN, { account: MEMBER, region: "us-east-1" });
            assert.deepEqual(await new StackWorld(noAuto, ORG).deliver(event, { createdAfterDeployment: true }), []);

            const noPolicy = copy();
            noPolicy.resources = noPolicy.resources.filter((r) => r.type !== "aws:cloudwatch/eventBusPolicy:EventBusPolicy");
            await assert.rejects(
                new StackWorld(noPolicy, ORG).deliver(event),
                (e: unknown) => e instanceof RouteError && /may not put events/.test(e.message),
            );
        });

        it("in every watched region of a member and of the management account: every root sample alerts once, nothing else does", async () => {
            const regions = watchedRegions(run);
            assert.deepEqual(regions, [...defaultEnabledRegions("aws")]);
            for (const account of [MEMBER, ACCOUNT_ID]) {
                for (const region of regions) {
                    for (const [label, record] of ROOT_EVENTS) {
                        const deliveries = await world.deliver(cloudTrailEvent(record, { account, region }));
                        assert.equal(deliveries.length, 1, `${label} in ${account}/${region}`);
                        assertReadable(deliveries[0].message, record, account, region);
                    }
                    for (const [label, record] of OTHER_EVENTS) {
                        assert.deepEqual(
                            await world.deliver(cloudTrailEvent(record, { account, region })),
                            [],
                            `${label} in ${account}/${region}`,
                        );
                    }
                }
            }
        });

        it("a refused root call says so, with the error code", async () => {
            const refused = structuredClone(ROOT_PUT_BUCKET_VERSIONING);
            refused.errorCode = "AccessDenied";
            const [d] = await world.deliver(cloudTrailEvent(refused, { account: MEMBER, region: "eu-central-1" }));
            assert.match(
                d.message,
                /^ROOT USER ACTIVITY, REFUSED \(AccessDenied\), in AWS account 210987654321 \(eu-central-1\): PutBucketVersioning/,
            );
            assert.match(d.path[1], /rootguard-root-api-call-refused$/);
        });

        it("the central bus admits accounts of the organization and nobody else", async () => {
            const bus = one(run, "aws:cloudwatch/eventBus:EventBus").state.arn;
            const policy = JSON.parse(one(run, "aws:cloudwatch/eventBusPolicy:EventBusPolicy").inputs.policy);
            for (const st of policy.Statement) {
                assert.equal(st.Effect, "Allow");
                assert.deepEqual(st.Condition, { StringEquals: { "aws:PrincipalOrgID": ORGANIZATION_ID } });
            }
            const put = (context: Record<string, string>) =>
                allowed({
                    principal: `arn:aws:sts::${context["aws:PrincipalAccount"]}:assumed-role/forwarder/events`,
                    action: "events:PutEvents",
                    resource: bus,
                    resourceAccount: ACCOUNT_ID,
                    context,
                    identityPolicies: [
                        { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: bus }] },
                    ],
                    resourcePolicy: policy,
                });
            assert.equal(await put({ "aws:PrincipalAccount": MEMBER, "aws:PrincipalOrgID": ORGANIZATION_ID }), true);
            assert.equal(await put({ "aws:PrincipalAccount": "999988887777", "aws:PrincipalOrgID": "o-other12345" }), false);
            assert.equal(await put({ "aws:PrincipalAccount": "999988887777" }), false);
        });

        it("with createTrail: an organization trail, whose bucket takes member accounts' logs under the organization id", async () => {
            const withTrail = await runProgram({ mode: "organization", "aws:region": "eu-west-1", createTrail: true });
            assert.equal(one(withTrail, "aws:cloudtrail/trail:Trail").inputs.isOrganizationTrail, true);
            const bucket = one(withTrail, "aws:s3/bucket:Bucket").state.arn;
            const policy = JSON.parse(one(withTrail, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy);
            const trailArn = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT_ID}:trail/rootguard-trail`;
            for (const [key, expected] of [
                [`AWSLogs/${ORGANIZATION_ID}/${MEMBER}/CloudTrail/us-east-1/2026/01/01/x.json.gz`, true],
                [`AWSLogs/o-other12345/${MEMBER}/CloudTrail/us-east-1/2026/01/01/x.json.gz`, false],
            ] as const) {
                const ok = await allowed({
                    principal: "cloudtrail.amazonaws.com",
                    action: "s3:PutObject",
                    resource: `${bucket}/${key}`,
                    resourceAccount: ACCOUNT_ID,
                    context: { "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control", "aws:SecureTransport": "true" },
                    resourcePolicy: policy,
                });
                assert.equal(ok, expected, key);
            }
        });

        it("the StackSet is service-managed, follows new accounts, and targets the whole organization by default", () => {
            const set = one(run, "aws:cloudformation/stackSet:StackSet").inputs;
            assert.equal(set.permissionModel, "SERVICE_MANAGED");
            assert.deepEqual(set.autoDeployment, { enabled: true, retainStacksOnAccountRemoval: false });
            assert.deepEqual(set.capabilities, ["CAPABILITY_NAMED_IAM"]);
            const instances = one(run, "aws:cloudformation/stackInstances:StackInstances").inputs;
            assert.deepEqual(instances.deploymentTargets.organizationalUnitIds, [ORGANIZATION_ROOT_ID]);
            assert.deepEqual(instances.regions, [...defaultEnabledRegions("aws")]);
            assert.equal(run.outputs.rootActivityStackSet, set.name);
        });

        it("every EventBridge target of the alert path has a dead-letter queue in its region that accepts its failed events", async () => {
            const alertPath = world.rules.filter((r) => r.name.startsWith("rootguard-root-") || r.name.startsWith("rootguard-alarm"));
            assert.equal(alertPath.length, 17 * 2 - 1 + 4); // forwarders + relays outside eu-west-1 + central rules
            for (const rule of alertPath) for (const target of rule.targets) await world.checkDeadLetterQueue(rule, target);
            // Member accounts' forwarders send their failures to this account's queue of the same region.
            await world.deliver(cloudTrailEvent(ROOT_LIST_BUCKETS, { account: MEMBER, region: "sa-east-1" }));
        });

        it("no other target of the stack lacks a dead-letter queue, except the remediator's own (its queue comes with its SQS work queue)", () => {
            const without = ofType(run, "aws:cloudwatch/eventTarget:EventTarget").filter((t) => !t.inputs.deadLetterConfig?.arn);
            for (const t of without) assert.equal(t.inputs.arn, one(run, "aws:lambda/function:Function").state.arn, `${t.name} has no DLQ`);
        });

        it("every alarm reaches the alert topic: directly in the topic's region, relayed through the central bus elsewhere", async () => {
            const topic = run.outputs.alertTopicArn;
            const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
            assert.ok(alarms.length >= 17 * 2 + 4, `${alarms.length} alarms`);
            for (const alarm of alarms) {
                const region = alarm.inputs.region ?? "eu-west-1";
                if (alarm.inputs.alarmActions.length > 0) {
                    assert.deepEqual(alarm.inputs.alarmActions, [topic], alarm.inputs.name);
                    assert.equal(region, "eu-west-1", `${alarm.inputs.name}: alarm actions cannot cross regions`);
                    await world.servicePublishes("cloudwatch.amazonaws.com", topic, {
                        "aws:SourceArn": alarm.state.arn,
                        "aws:SourceAccount": ACCOUNT_ID,
                    });
                } else {
                    const deliveries = await world.deliver(alarmEvent(alarm.inputs.name, ACCOUNT_ID, region));
                    assert.equal(deliveries.length, 1, `${alarm.inputs.name} in ${region} is relayed`);
                    assert.equal(deliveries[0].topicArn, topic);
                    assert.match(
                        deliveries[0].message,
                        new RegExp(`^ROOTGUARD ALARM ${alarm.inputs.name} is ALARM in AWS account ${ACCOUNT_ID} \\(${region}\\)`),
                    );
                }
            }
        });
    });

    describe("account mode (stack in eu-west-1)", () => {
        let run: ProgramRun;
        let world: StackWorld;
        before(async () => {
            run = await runProgram({ alertEmails: ["sec@example.com"] });
            world = new StackWorld(run);
        });

        it("watches every default region: root samples alert once each, nothing else does", async () => {
            assert.deepEqual(watchedRegions(run), [...defaultEnabledRegions("aws")]);
            for (const region of watchedRegions(run)) {
                for (const [label, record] of ROOT_EVENTS) {
                    const deliveries = await world.deliver(cloudTrailEvent(record, { account: ACCOUNT_ID, region }));
                    assert.equal(deliveries.length, 1, `${label} in ${region}`);
                    assertReadable(deliveries[0].message, record, ACCOUNT_ID, region);
                }
                for (const [label, record] of OTHER_EVENTS) {
                    assert.deepEqual(
                        await world.deliver(cloudTrailEvent(record, { account: ACCOUNT_ID, region })),
                        [],
                        `${label} in ${region}`,
                    );
                }
            }
        });

        it("has no organization pieces: no bus policy, no StackSet, dead-letter queues for this account's rules only", async () => {
            for (const type of [
                "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
                "aws:cloudformation/stackSet:StackSet",
                "aws:cloudtrail/trail:Trail",
            ]) {
                assert.equal(ofType(run, type).length, 0, type);
            }
            const dlqPolicy = JSON.parse(
                ofType(run, "aws:sqs/queuePolicy:QueuePolicy").find(
                    (p) => p.inputs.queueUrl.endsWith("rootguard-root-activity-dlq") && p.inputs.region === "ap-southeast-2",
                )!.inputs.policy,
            );
            const allow = dlqPolicy.Statement.find((s: any) => s.Effect === "Allow");
            assert.deepEqual(allow.Condition.ArnLike["aws:SourceArn"], [`arn:aws:events:ap-southeast-2:${ACCOUNT_ID}:rule/rootguard-*`]);
            // A member account's events have no forwarder here.
            assert.deepEqual(await world.deliver(cloudTrailEvent(ROOT_CONSOLE_LOGIN, { account: MEMBER, region: "us-east-1" })), []);
        });

        it("every alarm reaches the alert topic, the remediator's errors and dead-letter queue included", async () => {
            const topic = run.outputs.alertTopicArn;
            const names = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.inputs.name);
            assert.ok(names.includes("rootguard-remediator-errors") && names.includes("rootguard-remediator-dlq"));
            for (const alarm of ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm")) {
                const region = alarm.inputs.region ?? "eu-west-1";
                if (alarm.inputs.alarmActions.length > 0) {
                    assert.deepEqual(alarm.inputs.alarmActions, [topic]);
                    await world.servicePublishes("cloudwatch.amazonaws.com", topic, {
                        "aws:SourceArn": alarm.state.arn,
                        "aws:SourceAccount": ACCOUNT_ID,
                    });
                } else {
                    assert.equal((await world.deliver(alarmEvent(alarm.inputs.name, ACCOUNT_ID, region))).length, 1, alarm.inputs.name);
                }
            }
            const errors = one(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "rootguard-remediator-errors").inputs;
            assert.deepEqual(
                [errors.namespace, errors.metricName, errors.dimensions],
                ["AWS/Lambda", "Errors", { FunctionName: "rootguard-remediator" }],
            );
        });

        it("with createTrail: a multi-region, KMS-encrypted trail with log-file validation and global events", async () => {
            const withTrail = await runProgram({ createTrail: true });
            const trail = one(withTrail, "aws:cloudtrail/trail:Trail").inputs;
            assert.deepEqual(
                [
                    trail.isMultiRegionTrail,
                    trail.includeGlobalServiceEvents,
                    trail.enableLogFileValidation,
                    trail.isOrganizationTrail,
                    trail.enableLogging,
                ],
                [true, true, true, false, true],
            );
            const key = ofType(withTrail, "aws:kms/key:Key").find((k) => k.state.arn === trail.kmsKeyId);
            assert.ok(key, "the trail's key is rootguard's");
            const keyPolicy = JSON.parse(key.inputs.policy);
            const trailArn = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT_ID}:trail/rootguard-trail`;
            // iam-simulate 0.1.173 ignores `kms:EncryptionContext:<key>` context keys (it resolves only slash-style
            // variable keys), so that one condition is held to CloudTrail's encryption context here, and the rest
            // of the policy goes through the simulator without it.
            const encrypt = keyPolicy.Statement.find((st: any) => st.Sid === "CloudTrailEncryptsLogsOfThisTrail");
            const contextPattern = encrypt.Condition.StringLike["kms:EncryptionContext:aws:cloudtrail:arn"];
            assert.ok(
                wildcardMatch(contextPattern, trailArn, false) &&
                    !wildcardMatch(contextPattern, "arn:aws:cloudtrail:eu-west-1:999988887777:trail/x", false),
            );
            delete encrypt.Condition.StringLike;
            const generate = (sourceArn: string) =>
                allowed({
                    principal: "cloudtrail.amazonaws.com",
                    action: "kms:GenerateDataKey",
                    resource: key.state.arn,
                    resourceAccount: ACCOUNT_ID,
                    context: { "aws:SourceArn": sourceArn },
                    resourcePolicy: keyPolicy,
                });
            assert.equal(await generate(trailArn), true);
            const other = { "aws:SourceArn": "arn:aws:cloudtrail:eu-west-1:999988887777:trail/x" };
            assert.equal(await generate(other["aws:SourceArn"]), false);
            const bucket = one(withTrail, "aws:s3/bucket:Bucket");
            const bucketPolicy = JSON.parse(one(withTrail, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy);
            const object = `${bucket.state.arn}/AWSLogs/${ACCOUNT_ID}/CloudTrail/eu-west-1/2026/01/01/x.json.gz`;
            const write = (ctx: Record<string, string>) =>
                allowed({
                    principal: "cloudtrail.amazonaws.com",
                    action: "s3:PutObject",
                    resource: object,
                    resourceAccount: ACCOUNT_ID,
                    context: ctx,
                    resourcePolicy: bucketPolicy,
                });
            assert.equal(
                await write({ "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control", "aws:SecureTransport": "true" }),
                true,
            );
            assert.equal(
                await write({ "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control", "aws:SecureTransport": "false" }),
                false,
            );
            assert.equal(
                await write({
                    "aws:SourceArn": other["aws:SourceArn"],
                    "s3:x-amz-acl": "bucket-owner-full-control",
                    "aws:SecureTransport": "true",
                }),
                false,
            );
        });
    });

    describe("regions and partitions", () => {
        it("activityRegions narrows the watch, and still adds the global-events region and the stack region", async () => {
            const run = await runProgram({ activityRegions: ["ap-southeast-2", "eu-central-1"] });
            assert.deepEqual(watchedRegions(run), ["us-east-1", "ap-southeast-2", "eu-central-1", "eu-west-1"]);
        });

        it("an opt-in region can be listed and is watched like the others", async () => {
            assert.deepEqual(activityRegions("eu-west-1", ["me-central-1"]), ["us-east-1", "eu-west-1", "me-central-1"]);
        });

        for (const [partition, region] of [
            ["aws-cn", "cn-northwest-1"],
            ["aws-us-gov", "us-gov-east-1"],
        ] as const) {
            it(`${partition}: watches the partition's regions and sends sign-ins from ${PARTITIONS[partition].globalEventsRegion}, never us-east-1`, async () => {
                const run = await runProgram({ "aws:region": region });
                assert.deepEqual(watchedRegions(run), [...defaultEnabledRegions(partition)]);
                const regions = new Set(run.resources.map((r) => r.inputs.region).filter(Boolean));
                assert.ok(!regions.has("us-east-1"), [...regions].join(", "));
                const world = new StackWorld(run);
                const signIn = cloudTrailEvent(ROOT_CONSOLE_LOGIN, {
                    account: ACCOUNT_ID,
                    region: PARTITIONS[partition].globalEventsRegion,
                });
                assert.equal((await world.deliver(signIn)).length, 1);
            });
        }
    });
});
