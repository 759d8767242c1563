/**
 * One naming rule for every physical name (issue 15, findings 7 and 8): rule names never equal the Config
 * console's (a hand-made rule is never adopted, overwritten or deleted), every name starts with the stack's
 * prefix, names unique beyond a region carry the region so two stacks of one account never clash, and every
 * name fits its resource type's limits as CloudFormation's resource schemas (shipped with cfn-lint) state them.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { complianceChangeEventPattern, ROOT_CREDENTIAL_RULES, ruleName } from "../../src/core/aws-facts";
import { NAME_PREFIX_MAX_LENGTH, physicalName } from "../../src/core/naming";
import { REMEDIATOR_ENV } from "../../src/remediator/contract";
import { cloudResources, one, ProgramRun, RecordedResource, runProgram } from "./helpers/program";
import { STACK_VARIANTS, variantRun } from "./helpers/stack-variants";

/** Physical-name inputs by resource type: [input, CloudFormation type, property]. */
const NAMES: Record<string, [string, string, string]> = {
    "aws:iam/role:Role": ["name", "AWS::IAM::Role", "RoleName"],
    "aws:iam/policy:Policy": ["name", "AWS::IAM::ManagedPolicy", "ManagedPolicyName"],
    "aws:lambda/function:Function": ["name", "AWS::Lambda::Function", "FunctionName"],
    "aws:sqs/queue:Queue": ["name", "AWS::SQS::Queue", "QueueName"],
    "aws:sns/topic:Topic": ["name", "AWS::SNS::Topic", "TopicName"],
    "aws:cloudwatch/eventRule:EventRule": ["name", "AWS::Events::Rule", "Name"],
    "aws:cloudwatch/eventBus:EventBus": ["name", "AWS::Events::EventBus", "Name"],
    "aws:cloudwatch/metricAlarm:MetricAlarm": ["name", "AWS::CloudWatch::Alarm", "AlarmName"],
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": ["name", "AWS::Logs::MetricFilter", "FilterName"],
    "aws:cloudwatch/logGroup:LogGroup": ["name", "AWS::Logs::LogGroup", "LogGroupName"],
    "aws:cloudtrail/trail:Trail": ["name", "AWS::CloudTrail::Trail", "TrailName"],
    "aws:scheduler/schedule:Schedule": ["name", "AWS::Scheduler::Schedule", "Name"],
    "aws:cfg/rule:Rule": ["name", "AWS::Config::ConfigRule", "ConfigRuleName"],
    "aws:cfg/organizationManagedRule:OrganizationManagedRule": [
        "name",
        "AWS::Config::OrganizationConfigRule",
        "OrganizationConfigRuleName",
    ],
    "aws:cfg/configurationAggregator:ConfigurationAggregator": [
        "name",
        "AWS::Config::ConfigurationAggregator",
        "ConfigurationAggregatorName",
    ],
    "aws:cfg/recorder:Recorder": ["name", "AWS::Config::ConfigurationRecorder", "Name"],
    // Names the recorder it starts.
    "aws:cfg/recorderStatus:RecorderStatus": ["name", "AWS::Config::ConfigurationRecorder", "Name"],
    "aws:cfg/deliveryChannel:DeliveryChannel": ["name", "AWS::Config::DeliveryChannel", "Name"],
    "aws:s3/bucket:Bucket": ["bucket", "AWS::S3::Bucket", "BucketName"],
    "aws:ssm/document:Document": ["name", "AWS::SSM::Document", "Name"],
    "aws:organizations/policy:Policy": ["name", "AWS::Organizations::Policy", "Name"],
    "aws:kms/alias:Alias": ["name", "AWS::KMS::Alias", "AliasName"],
    "aws:dynamodb/table:Table": ["name", "AWS::DynamoDB::Table", "TableName"],
    "aws:cloudformation/stackSet:StackSet": ["name", "AWS::CloudFormation::StackSet", "StackSetName"],
};

/**
 * Limits the CloudFormation schemas leave out, from each API's reference ("Length Constraints"): PutConfigRule,
 * PutOrganizationConfigRule, CreateQueue, PutConfigurationRecorder, PutDeliveryChannel, CreatePolicy.
 */
const API_LIMITS: Record<string, { maxLength: number; pattern?: string }> = {
    "AWS::Config::ConfigRule.ConfigRuleName": { maxLength: 128, pattern: ".*\\S.*" },
    "AWS::Config::OrganizationConfigRule.OrganizationConfigRuleName": { maxLength: 64, pattern: ".*\\S.*" },
    "AWS::SQS::Queue.QueueName": { maxLength: 80, pattern: "^[a-zA-Z0-9_-]{1,80}$" },
    "AWS::Config::ConfigurationRecorder.Name": { maxLength: 256 },
    "AWS::Config::DeliveryChannel.Name": { maxLength: 256 },
    "AWS::IAM::ManagedPolicy.ManagedPolicyName": { maxLength: 128, pattern: "^[\\w+=,.@-]+$" },
};

/** Names that must be unique beyond one region: per account (IAM), per partition (S3), per organization (SCPs). */
const BEYOND_REGION = new Set(["aws:iam/role:Role", "aws:iam/policy:Policy", "aws:s3/bucket:Bucket", "aws:organizations/policy:Policy"]);

/** Namespaces AWS puts before a name (log groups of Lambda functions, KMS aliases). */
function withoutNamespace(name: string): string {
    return name.replace(/^\/aws\/lambda\//, "").replace(/^alias\//, "");
}

function named(run: ProgramRun): { r: RecordedResource; name: string }[] {
    return cloudResources(run).flatMap((r) => {
        const input = NAMES[r.type]?.[0] ?? (typeof r.inputs.name === "string" ? "name" : undefined);
        const name = input === undefined ? undefined : r.inputs[input];
        return typeof name === "string" ? [{ r, name }] : [];
    });
}

interface Limit {
    maxLength?: number;
    minLength?: number;
    pattern?: string;
}

/** The name constraints CloudFormation's resource schemas give, read with cfn-lint's own schema manager. */
function schemaLimits(): Record<string, Limit> | undefined {
    const pairs = [...new Set(Object.values(NAMES).map(([, t, p]) => `${t}.${p}`))];
    const script = [
        "import json, sys",
        "from cfnlint.schema import PROVIDER_SCHEMA_MANAGER as m",
        "out = {}",
        "for pair in json.loads(sys.argv[1]):",
        "    t, p = pair.rsplit('.', 1)",
        "    s = m.get_resource_schema('us-east-1', t).schema['properties'][p]",
        "    out[pair] = {k: s[k] for k in ('minLength', 'maxLength', 'pattern') if k in s}",
        "print(json.dumps(out))",
    ].join("\n");
    try {
        return JSON.parse(
            execFileSync("python3", ["-c", script, JSON.stringify(pairs)], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }),
        );
    } catch {
        return undefined;
    }
}

describe("stacks: physical names", function () {
    this.timeout(180_000);

    it("Config rules are <prefix>-<console name>, never the console's own name, and the remediator matches the same names", async () => {
        for (const mode of ["account", "organization"]) {
            const run = await runProgram({ mode, hardwareMfaRule: true, namePrefix: "acme-guard" });
            const rules = cloudResources(run).filter((r) => /^aws:cfg\/(rule|organizationManagedRule)/.test(r.type));
            assert.deepEqual(
                rules.map((r) => r.inputs.name),
                ROOT_CREDENTIAL_RULES.map((f) => `acme-guard-${f.consoleName}`),
            );
            for (const f of ROOT_CREDENTIAL_RULES) assert.ok(!rules.some((r) => r.inputs.name === f.consoleName), f.consoleName);
            const fn = one(run, "aws:lambda/function:Function");
            // The remediator acts on the access-key rule alone (the first rule), and matches it by the same name.
            const accessKeyRule = rules[0].inputs.name;
            assert.equal(fn.inputs.environment.variables[REMEDIATOR_ENV.ruleNames], accessKeyRule);
            if (mode === "account") {
                const pattern = JSON.parse(
                    one(run, "aws:cloudwatch/eventRule:EventRule", "acme-guard-compliance-change").inputs.eventPattern,
                );
                assert.deepEqual(pattern, complianceChangeEventPattern([accessKeyRule]));
            }
        }
        assert.deepEqual(
            ROOT_CREDENTIAL_RULES.map((f) => f.defaultName),
            ROOT_CREDENTIAL_RULES.map((f) => ruleName("rootguard", f)),
        );
    });

    it("two stacks of one prefix in two regions of one account share no name that must be unique beyond a region", async () => {
        for (const [, config] of STACK_VARIANTS.filter(([l]) => /everything/.test(l))) {
            const regional = async (region: string) =>
                named(await variantRun({ ...config, "aws:region": region }))
                    .filter(({ r }) => BEYOND_REGION.has(r.type))
                    .map(({ r, name }) => `${r.type} ${name}`);
            const [a, b] = [await regional(String(config["aws:region"] ?? "eu-west-1")), await regional("eu-central-1")];
            assert.ok(a.length >= 3, a.join("\n"));
            assert.deepEqual(
                a.filter((n) => b.includes(n)),
                [],
            );
        }
        assert.equal(physicalName("p", "remediator", "beyond-region", "eu-west-1"), "p-remediator-eu-west-1");
        assert.throws(() => physicalName("p", "remediator", "beyond-region"), /needs the stack's region/);
    });

    it("with the longest prefix and region, every name starts with the prefix and fits its CloudFormation schema (cfn-lint) or API limit", async function () {
        // Without cfn-lint (python3 -c "import cfnlint"), only the API limits and the prefix are checked.
        const schemas = schemaLimits() ?? {};
        const prefix = "abcdefghijkl-mnopqrstuvw".slice(0, NAME_PREFIX_MAX_LENGTH);
        assert.equal(prefix.length, NAME_PREFIX_MAX_LENGTH);
        const problems: string[] = [];
        let checked = 0;
        for (const [, config] of STACK_VARIANTS) {
            // ap-northeast-3: a 14-character region that offers every rule.
            const run = await runProgram({ ...config, namePrefix: prefix, "aws:region": "ap-northeast-3" });
            for (const { r, name } of named(run)) {
                if (!withoutNamespace(name).startsWith(`${prefix}-`))
                    problems.push(`${r.type} ${r.name}: ${name} does not start with the prefix`);
                const spec = NAMES[r.type];
                if (spec === undefined) {
                    problems.push(`${r.type} ${name}: add the type's CloudFormation name property to NAMES`);
                    continue;
                }
                const key = `${spec[1]}.${spec[2]}`;
                const limit: Limit = { ...API_LIMITS[key], ...schemas[key] };
                if (limit.maxLength === undefined && limit.pattern === undefined && key in schemas)
                    problems.push(`${key}: no length limit known`);
                if (limit.maxLength !== undefined && name.length > limit.maxLength)
                    problems.push(`${key} ${name}: ${name.length} > ${limit.maxLength}`);
                if (limit.minLength !== undefined && name.length < limit.minLength)
                    problems.push(`${key} ${name}: shorter than ${limit.minLength}`);
                if (limit.pattern !== undefined && !new RegExp(limit.pattern.replace(/\\Z$/, "$")).test(name))
                    problems.push(`${key} ${name}: not ${limit.pattern}`);
                checked++;
            }
        }
        assert.ok(checked > 60, `only ${checked} names checked`);
        assert.deepEqual(problems, []);
    });
});
