/**
 * Follows one event through what the stack created, as EventBridge would: from the default bus of an account
 * and region, through every rule that matches (state, pattern), through every target (role trust, identity
 * policy, bus policy, topic policy, KMS key policy, dead-letter queue), to the alert topic, rendering the
 * input transformer into the message a person reads.
 *
 * Member accounts get what the organization StackSet would install there: its template, instantiated with the
 * StackSet's parameters, in the regions of its stack instances, for accounts under its deployment targets (and,
 * for an account created after deployment, only if automatic deployment is on).
 *
 * Every allow/deny decision is made by a real IAM policy evaluator (@cloud-copilot/iam-simulate), never by code
 * written here. The limits EventBridge documents are enforced: CloudTrail read-only events only reach rules in
 * state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS; an event received from another bus is not forwarded again;
 * a cross-account bus target granted through the organization needs a role; SNS targets and dead-letter queues
 * must be in the rule's region.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { matchesPattern } from "./event-pattern";
import { ACCOUNT_ID, ofType, ProgramRun } from "./program";
import type { EventBridgeEvent } from "../fixtures/sample-events";

type Policy = { Version: string; Statement: any[] };

export interface Org {
    id: string;
    rootId: string;
}

export interface Rule {
    account: string;
    region: string;
    bus: string;
    name: string;
    arn: string;
    state: string;
    pattern: Record<string, unknown>;
    targets: Target[];
}

export interface Target {
    arn: string;
    roleArn?: string;
    deadLetterArn?: string;
    inputTransformer?: { inputPaths?: Record<string, string>; inputTemplate: string };
}

interface Role {
    arn: string;
    account: string;
    trust: Policy;
    policies: Policy[];
}

interface Place {
    account: string;
    region: string;
    bus: string;
}

export interface Delivery {
    topicArn: string;
    message: string;
    /** Rule ARNs the event went through, in order. */
    path: string[];
}

export class RouteError extends Error {}

const READ_ONLY_VERB = /^(Get|List|Describe)/;

function isReadOnlyManagementEvent(event: EventBridgeEvent): boolean {
    if (event["detail-type"] !== "AWS API Call via CloudTrail") return false;
    return event.detail.readOnly === true || READ_ONLY_VERB.test(String(event.detail.eventName));
}

function arnParts(arn: string): { service: string; region: string; account: string; resource: string } {
    const [, , service, region, account, ...rest] = arn.split(":");
    return { service, region, account, resource: rest.join(":") };
}

function lookup(event: unknown, path: string): unknown {
    let value: any = event;
    for (const key of path
        .replace(/^\$\.?/, "")
        .split(".")
        .filter(Boolean)) {
        if (value === null || typeof value !== "object") return undefined;
        value = value[key];
    }
    return value;
}

/** The input transformer as EventBridge documents it: a missing path leaves its variable out; values are not escaped. */
export function renderTransformer(t: NonNullable<Target["inputTransformer"]>, event: EventBridgeEvent, ruleName: string): string {
    let out = t.inputTemplate.replace(/<aws\.events\.rule-name>/g, ruleName);
    for (const [name, path] of Object.entries(t.inputPaths ?? {})) {
        const value = lookup(event, path);
        const text = value === undefined || value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
        out = out.split(`<${name}>`).join(text);
    }
    const parsed: unknown = JSON.parse(out);
    return typeof parsed === "string" ? parsed : JSON.stringify(parsed);
}

export async function allowed(request: {
    principal: string;
    action: string;
    resource: string;
    resourceAccount: string;
    context: Record<string, string>;
    identityPolicies?: Policy[];
    resourcePolicy?: Policy;
}): Promise<boolean> {
    const result = await runSimulation(
        {
            request: {
                principal: request.principal,
                action: request.action,
                resource: { resource: request.resource, accountId: request.resourceAccount },
                contextVariables: request.context,
            },
            identityPolicies: (request.identityPolicies ?? []).map((policy, i) => ({ name: `p${i}`, policy })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: request.resourcePolicy,
        },
        {},
    );
    if (result.resultType === "error") throw new Error(`iam-simulate: ${JSON.stringify(result.errors)}`);
    return result.overallResult === "Allowed";
}

function json(value: unknown): any {
    return typeof value === "string" ? JSON.parse(value) : value;
}

/** The stack under mocks, as a world events can travel through. */
export class StackWorld {
    readonly stackRegion: string;
    readonly rules: Rule[] = [];
    private readonly roles = new Map<string, Role>();
    private readonly busPolicies = new Map<string, Policy | undefined>();
    private readonly queues = new Map<string, Policy | undefined>();
    private readonly topics = new Map<string, { policy?: Policy; keyPolicy?: Policy; keyArn?: string }>();
    private readonly stackSet?: {
        template: any;
        parameters: Record<string, string>;
        autoDeploy: boolean;
        regions: string[];
        targets: string[];
    };

    constructor(
        readonly run: ProgramRun,
        readonly org?: Org,
    ) {
        this.stackRegion = run.outputs.region;
        const regionOf = (r: { inputs: Record<string, any> }) => r.inputs.region ?? this.stackRegion;

        for (const bus of ofType(run, "aws:cloudwatch/eventBus:EventBus")) this.busPolicies.set(bus.state.arn, undefined);
        for (const p of ofType(run, "aws:cloudwatch/eventBusPolicy:EventBusPolicy")) {
            const bus = ofType(run, "aws:cloudwatch/eventBus:EventBus").find((b) => b.inputs.name === p.inputs.eventBusName);
            if (!bus) throw new Error(`bus policy for unknown bus ${p.inputs.eventBusName}`);
            this.busPolicies.set(bus.state.arn, json(p.inputs.policy));
        }
        for (const q of ofType(run, "aws:sqs/queue:Queue")) {
            const policy = ofType(run, "aws:sqs/queuePolicy:QueuePolicy").find((p) => p.inputs.queueUrl === q.state.url);
            this.queues.set(q.state.arn, policy && json(policy.inputs.policy));
        }
        for (const t of ofType(run, "aws:sns/topic:Topic")) {
            const policy = ofType(run, "aws:sns/topicPolicy:TopicPolicy").find((p) => p.inputs.arn === t.state.arn);
            const key = ofType(run, "aws:kms/key:Key").find((k) => k.state.arn === t.inputs.kmsMasterKeyId);
            this.topics.set(t.state.arn, {
                policy: policy && json(policy.inputs.policy),
                keyPolicy: key && json(key.inputs.policy),
                keyArn: key?.state.arn,
            });
        }
        for (const r of ofType(run, "aws:iam/role:Role")) {
            const policies = ofType(run, "aws:iam/rolePolicy:RolePolicy")
                .filter((p) => p.inputs.role === `${r.inputs.name}-id` || p.inputs.role === r.inputs.name)
                .map((p) => json(p.inputs.policy));
            this.roles.set(r.state.arn, { arn: r.state.arn, account: ACCOUNT_ID, trust: json(r.inputs.assumeRolePolicy), policies });
        }
        for (const r of ofType(run, "aws:cloudwatch/eventRule:EventRule")) {
            if (r.inputs.eventPattern === undefined) continue; // schedules
            const bus = r.inputs.eventBusName ?? "default";
            const region = regionOf(r);
            const targets = ofType(run, "aws:cloudwatch/eventTarget:EventTarget")
                .filter((t) => t.inputs.rule === r.inputs.name && (t.inputs.eventBusName ?? "default") === bus && regionOf(t) === region)
                .map((t) => ({
                    arn: t.inputs.arn,
                    roleArn: t.inputs.roleArn,
                    deadLetterArn: t.inputs.deadLetterConfig?.arn,
                    inputTransformer: t.inputs.inputTransformer,
                }));
            this.rules.push({
                account: ACCOUNT_ID,
                region,
                bus,
                name: r.inputs.name,
                arn: r.state.arn,
                state: r.inputs.state ?? "ENABLED",
                pattern: json(r.inputs.eventPattern),
                targets,
            });
        }
        const stackSets = ofType(run, "aws:cloudformation/stackSet:StackSet");
        if (stackSets.length > 0) {
            const [set] = stackSets;
            const instances = ofType(run, "aws:cloudformation/stackInstances:StackInstances").find(
                (i) => i.inputs.stackSetName === set.inputs.name,
            );
            if (set.inputs.permissionModel !== "SERVICE_MANAGED") throw new Error("the StackSet is not service-managed");
            this.stackSet = {
                template: JSON.parse(set.inputs.templateBody),
                parameters: set.inputs.parameters ?? {},
                autoDeploy: set.inputs.autoDeployment?.enabled === true,
                regions: instances?.inputs.regions ?? [],
                targets: instances?.inputs.deploymentTargets?.organizationalUnitIds ?? [],
            };
        }
    }

    /** What the StackSet puts into a member account's region, or nothing. */
    private memberRules(account: string, region: string, createdAfterDeployment: boolean): Rule[] {
        const set = this.stackSet;
        if (!set || !this.org || account === ACCOUNT_ID) return [];
        // Service-managed StackSets skip the management account; every other account sits under the root.
        if (!set.targets.includes(this.org.rootId) || !set.regions.includes(region)) return [];
        if (createdAfterDeployment && !set.autoDeploy) return [];
        const params = set.parameters;
        for (const [name, spec] of Object.entries<any>(set.template.Parameters ?? {})) {
            if (params[name] === undefined) throw new RouteError(`StackSet parameter ${name} is not set`);
            if (spec.AllowedPattern && !new RegExp(spec.AllowedPattern).test(params[name]))
                throw new RouteError(`StackSet parameter ${name}=${params[name]} fails its AllowedPattern: CloudFormation would reject it`);
        }
        const pseudo: Record<string, string> = { "AWS::AccountId": account, "AWS::Region": region, "AWS::Partition": "aws", ...params };
        const resources = set.template.Resources;
        const resolve = (v: any): any => {
            if (Array.isArray(v)) return v.map(resolve);
            if (v === null || typeof v !== "object") return v;
            if ("Ref" in v) {
                if (!(v.Ref in pseudo)) throw new RouteError(`unresolvable Ref ${v.Ref}`);
                return pseudo[v.Ref];
            }
            if ("Fn::Sub" in v) return String(v["Fn::Sub"]).replace(/\$\{([^}]+)\}/g, (_, k) => resolve({ Ref: k }));
            if ("Fn::GetAtt" in v) {
                const [logical, attr] = v["Fn::GetAtt"];
                const res = resources[logical];
                if (res?.Type !== "AWS::IAM::Role" || attr !== "Arn") throw new RouteError(`unsupported GetAtt ${logical}.${attr}`);
                return `arn:aws:iam::${account}:role/${resolve(res.Properties.RoleName)}`;
            }
            return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
        };
        const rules: Rule[] = [];
        for (const res of Object.values<any>(resources)) {
            const props = resolve(res.Properties);
            if (res.Type === "AWS::IAM::Role") {
                const arn = `arn:aws:iam::${account}:role/${props.RoleName}`;
                this.roles.set(arn, {
                    arn,
                    account,
                    trust: props.AssumeRolePolicyDocument,
                    policies: props.Policies.map((p: any) => p.PolicyDocument),
                });
            }
        }
        for (const res of Object.values<any>(resources)) {
            if (res.Type !== "AWS::Events::Rule") continue;
            const props = resolve(res.Properties);
            rules.push({
                account,
                region,
                bus: props.EventBusName ?? "default",
                name: props.Name,
                arn: `arn:aws:events:${region}:${account}:rule/${props.Name}`,
                state: props.State ?? "ENABLED",
                pattern: props.EventPattern,
                targets: props.Targets.map((t: any) => ({ arn: t.Arn, roleArn: t.RoleArn, deadLetterArn: t.DeadLetterConfig?.Arn })),
            });
        }
        return rules;
    }

    /**
     * Deliver `event` as CloudTrail or CloudWatch would, to the default bus of (account, region). Returns what
     * reached SNS topics; throws RouteError where a matched rule's delivery would fail.
     */
    async deliver(event: EventBridgeEvent, options: { createdAfterDeployment?: boolean } = {}): Promise<Delivery[]> {
        return this.onBus(event, { account: String(event.account), region: String(event.region), bus: "default" }, [], options);
    }

    /** Every account this world knows of is in the organization (or there is none). */
    private orgOf(): string | undefined {
        return this.org?.id;
    }

    private async onBus(
        event: EventBridgeEvent,
        at: Place,
        path: string[],
        options: { createdAfterDeployment?: boolean },
    ): Promise<Delivery[]> {
        const rules = [
            ...this.rules.filter((r) => r.account === at.account && r.region === at.region && r.bus === at.bus),
            ...(at.bus === "default" ? this.memberRules(at.account, at.region, options.createdAfterDeployment ?? false) : []),
        ];
        const out: Delivery[] = [];
        for (const rule of rules) {
            if (rule.state === "DISABLED") continue;
            if (isReadOnlyManagementEvent(event) && rule.state !== "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS") continue;
            if (!matchesPattern(rule.pattern, event)) continue;
            if (rule.targets.length === 0) throw new RouteError(`${rule.arn} matched but has no target`);
            for (const target of rule.targets) out.push(...(await this.invoke(event, rule, target, [...path, rule.arn], options)));
        }
        return out;
    }

    async checkDeadLetterQueue(rule: Rule, target: Target): Promise<void> {
        if (!target.deadLetterArn) throw new RouteError(`${rule.arn} → ${target.arn} has no dead-letter queue`);
        const dlq = arnParts(target.deadLetterArn);
        if (dlq.region !== rule.region) throw new RouteError(`${rule.arn}: dead-letter queue ${target.deadLetterArn} is in another region`);
        if (!this.queues.has(target.deadLetterArn))
            throw new RouteError(`${rule.arn}: dead-letter queue ${target.deadLetterArn} does not exist`);
        const ok = await allowed({
            principal: "events.amazonaws.com",
            action: "sqs:SendMessage",
            resource: target.deadLetterArn,
            resourceAccount: dlq.account,
            context: { "aws:SourceArn": rule.arn, "aws:SourceAccount": rule.account },
            resourcePolicy: this.queues.get(target.deadLetterArn),
        });
        if (!ok) throw new RouteError(`${rule.arn}: the queue policy of ${target.deadLetterArn} refuses its failed events`);
    }

    private async invoke(
        event: EventBridgeEvent,
        rule: Rule,
        target: Target,
        path: string[],
        options: { createdAfterDeployment?: boolean },
    ) {
        await this.checkDeadLetterQueue(rule, target);
        const dest = arnParts(target.arn);
        if (dest.service === "events" && dest.resource.startsWith("event-bus/")) {
            if (path.length > 1) throw new RouteError(`${rule.arn}: EventBridge does not forward an event received from another bus`);
            if (!target.roleArn) throw new RouteError(`${rule.arn} → ${target.arn}: bus targets need a role`);
            const role = this.roles.get(target.roleArn);
            if (!role) throw new RouteError(`${rule.arn}: role ${target.roleArn} does not exist`);
            const assume = await allowed({
                principal: "events.amazonaws.com",
                action: "sts:AssumeRole",
                resource: role.arn,
                resourceAccount: role.account,
                context: { "aws:SourceArn": rule.arn, "aws:SourceAccount": rule.account },
                resourcePolicy: role.trust,
            });
            if (!assume) throw new RouteError(`${rule.arn}: EventBridge may not assume ${role.arn}`);
            if (!this.busPolicies.has(target.arn)) throw new RouteError(`${rule.arn}: bus ${target.arn} does not exist`);
            const context: Record<string, string> = { "aws:PrincipalAccount": role.account };
            const orgId = this.orgOf();
            if (orgId) context["aws:PrincipalOrgID"] = orgId;
            const put = await allowed({
                principal: `arn:aws:sts::${role.account}:assumed-role/${role.arn.split("/").pop()}/events`,
                action: "events:PutEvents",
                resource: target.arn,
                resourceAccount: dest.account,
                context,
                identityPolicies: role.policies,
                resourcePolicy: this.busPolicies.get(target.arn),
            });
            if (!put) throw new RouteError(`${rule.arn}: ${role.arn} may not put events on ${target.arn}`);
            return this.onBus(
                event,
                { account: dest.account, region: dest.region, bus: dest.resource.slice("event-bus/".length) },
                path,
                options,
            );
        }
        if (dest.service === "sns") {
            if (dest.region !== rule.region) throw new RouteError(`${rule.arn}: SNS target ${target.arn} is in another region`);
            const topic = this.topics.get(target.arn);
            if (!topic) throw new RouteError(`${rule.arn}: topic ${target.arn} does not exist`);
            await this.servicePublishes("events.amazonaws.com", target.arn, {
                "aws:SourceArn": rule.arn,
                "aws:SourceAccount": rule.account,
            });
            const message = target.inputTransformer ? renderTransformer(target.inputTransformer, event, rule.name) : JSON.stringify(event);
            return [{ topicArn: target.arn, message, path }];
        }
        throw new RouteError(`${rule.arn}: unexpected target ${target.arn}`);
    }

    /** A service principal may publish to the topic: topic policy, and the KMS key policy when the topic is encrypted. */
    async servicePublishes(service: string, topicArn: string, context: Record<string, string>): Promise<void> {
        const topic = this.topics.get(topicArn);
        if (!topic) throw new RouteError(`topic ${topicArn} does not exist`);
        const account = arnParts(topicArn).account;
        const publish = await allowed({
            principal: service,
            action: "sns:Publish",
            resource: topicArn,
            resourceAccount: account,
            context,
            resourcePolicy: topic.policy,
        });
        if (!publish) throw new RouteError(`${service} may not publish to ${topicArn}`);
        if (topic.keyArn) {
            for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
                const ok = await allowed({
                    principal: service,
                    action,
                    resource: topic.keyArn,
                    resourceAccount: account,
                    context,
                    resourcePolicy: topic.keyPolicy,
                });
                if (!ok) throw new RouteError(`${service} may not use ${action} on the topic's key ${topic.keyArn}`);
            }
        }
    }
}
