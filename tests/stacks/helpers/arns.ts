/**
 * The ARN each AWS resource type's `arn` output has, in the form the AWS provider returns it (its API docs for
 * each resource's `arn` attribute), so that the policies the stacks build from these outputs can be checked
 * against the Service Authorization Reference. Not derived from that reference: the check would be circular.
 * A type missing here gets a generic `…:<type>/<name>` ARN, which the IAM data tests reject wherever a policy
 * names it — add the type's real form here.
 */
import { createHash } from "node:crypto";

type ArnForm = (f: { region: string; account: string; name: string; inputs: Record<string, any> }) => string;

function suffix(seed: string, length: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

export const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

/** The alert topic's key keeps the id tests have always used; every other key gets its own. */
export function keyId(name: string): string {
    if (name === "rootguard-alerts-key") return KEY_ID;
    const h = suffix(name, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const FORMS: Record<string, ArnForm> = {
    "aws:sns/topic:Topic": ({ region, account, name }) => `arn:aws:sns:${region}:${account}:${name}`,
    "aws:sqs/queue:Queue": ({ region, account, name }) => `arn:aws:sqs:${region}:${account}:${name}`,
    "aws:lambda/function:Function": ({ region, account, name }) => `arn:aws:lambda:${region}:${account}:function:${name}`,
    // The provider removes the `:*` the API appends, so `${arn}:log-stream:*` is the log streams' ARN.
    "aws:cloudwatch/logGroup:LogGroup": ({ region, account, name }) => `arn:aws:logs:${region}:${account}:log-group:${name}`,
    "aws:kms/key:Key": ({ region, account, name }) => `arn:aws:kms:${region}:${account}:key/${keyId(name)}`,
    "aws:kms/alias:Alias": ({ region, account, name }) => `arn:aws:kms:${region}:${account}:${name}`,
    "aws:s3/bucket:Bucket": ({ inputs, name }) => `arn:aws:s3:::${inputs.bucket ?? name}`,
    "aws:iam/role:Role": ({ account, name }) => `arn:aws:iam::${account}:role/${name}`,
    "aws:iam/policy:Policy": ({ account, name }) => `arn:aws:iam::${account}:policy/${name}`,
    // A rule on a custom bus has the bus in its ARN (EventBridge API reference, Rule ARN).
    "aws:cloudwatch/eventRule:EventRule": ({ region, account, name, inputs }) =>
        `arn:aws:events:${region}:${account}:rule/${inputs.eventBusName && inputs.eventBusName !== "default" ? `${inputs.eventBusName}/` : ""}${name}`,
    "aws:cloudwatch/eventBus:EventBus": ({ region, account, name }) => `arn:aws:events:${region}:${account}:event-bus/${name}`,
    "aws:cloudwatch/metricAlarm:MetricAlarm": ({ region, account, name }) => `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`,
    "aws:cloudtrail/trail:Trail": ({ region, account, name }) => `arn:aws:cloudtrail:${region}:${account}:trail/${name}`,
    "aws:cfg/rule:Rule": ({ region, account, name }) => `arn:aws:config:${region}:${account}:config-rule/config-rule-${suffix(name, 6)}`,
    "aws:cfg/organizationManagedRule:OrganizationManagedRule": ({ region, account, name }) =>
        `arn:aws:config:${region}:${account}:organization-config-rule/${name}-${suffix(name, 8)}`,
    "aws:cfg/configurationAggregator:ConfigurationAggregator": ({ region, account, name }) =>
        `arn:aws:config:${region}:${account}:config-aggregator/config-aggregator-${suffix(name, 8)}`,
    "aws:ssm/document:Document": ({ region, account, name }) => `arn:aws:ssm:${region}:${account}:document/${name}`,
    "aws:organizations/policy:Policy": ({ account, name }) =>
        `arn:aws:organizations::${account}:policy/o-a1b2c3d4e5/service_control_policy/p-${suffix(name, 8)}`,
};

export function fakeArn(type: string, name: string, inputs: Record<string, any>, region: string, account: string): string {
    const form = FORMS[type];
    if (form) return form({ region, account, name, inputs });
    const service = type.split(":")[1]?.split("/")[0] ?? "x";
    return `arn:aws:${service}:${region}:${account}:${type.split(":").pop()?.toLowerCase()}/${name}`;
}
