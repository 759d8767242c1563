/**
 * The CloudFormation template the organization StackSet installs in every member account and watched region: a
 * rule on the default bus that sends root activity to the central bus, and the role it sends with (a target bus
 * that admits the organization by `aws:PrincipalOrgID` requires a RoleArn — EventBridge PutPermission reference).
 * Failed deliveries go to the deploying account's dead-letter queue of the same region (a DLQ must be in the
 * rule's region, and may be in another account), so member accounts need no alarms of their own.
 *
 * Typed here and serialised once; tests/stacks/forwarder-template.e2e.test.ts runs cfn-lint (AWS's CloudFormation
 * linter, with the resource schemas) over it.
 */
import { ALL_MANAGEMENT_EVENTS_STATE, EventPattern, rootActivityPattern } from "../../src/core/root-activity";
import { activityNames, FORWARD_RETRY_POLICY } from "./activity-names";

type Intrinsic = { Ref: string } | { "Fn::Sub": string } | { "Fn::GetAtt": [string, string] };
type Value = string | Intrinsic;

interface TemplateStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal?: { Service: string };
    Action: string | string[];
    Resource?: Value;
    Condition?: Record<string, Record<string, Value>>;
}

interface TemplatePolicy {
    Version: "2012-10-17";
    Statement: TemplateStatement[];
}

interface IamRole {
    Type: "AWS::IAM::Role";
    Properties: {
        RoleName: Value;
        Description: string;
        AssumeRolePolicyDocument: TemplatePolicy;
        Policies: { PolicyName: string; PolicyDocument: TemplatePolicy }[];
    };
}

interface EventsTarget {
    Id: string;
    Arn: Value;
    RoleArn: Value;
    DeadLetterConfig: { Arn: Value };
    RetryPolicy: { MaximumEventAgeInSeconds: number; MaximumRetryAttempts: number };
}

interface EventsRule {
    Type: "AWS::Events::Rule";
    Properties: {
        Name: string;
        Description: string;
        EventBusName: "default";
        State: typeof ALL_MANAGEMENT_EVENTS_STATE;
        EventPattern: EventPattern;
        Targets: EventsTarget[];
    };
}

export interface StringParameter {
    Type: "String";
    Description: string;
    AllowedPattern: string;
}

export interface ForwarderTemplate {
    AWSTemplateFormatVersion: "2010-09-09";
    Description: string;
    Parameters: Record<ForwarderParameter, StringParameter>;
    Resources: { ForwarderRole: IamRole; ForwarderRule: EventsRule };
}

/** The values each StackSet passes in; `parameters` of the StackSet must name exactly these. */
export type ForwarderParameter = "CentralEventBusArn" | "CentralAccountId";

export function forwarderTemplate(namePrefix: string): ForwarderTemplate {
    const names = activityNames(namePrefix);
    const ruleArn = `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/${names.forwarderRule}`;
    return {
        AWSTemplateFormatVersion: "2010-09-09",
        Description: `rootguard: forwards root user activity in this account and region to the organization's central event bus (${names.bus})`,
        Parameters: {
            CentralEventBusArn: {
                Type: "String",
                Description: "ARN of the central event bus in the deploying account",
                AllowedPattern: "^arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/.+$",
            },
            CentralAccountId: {
                Type: "String",
                Description: "Account that holds the central bus and the per-region dead-letter queues",
                AllowedPattern: "^\\d{12}$",
            },
        },
        Resources: {
            ForwarderRole: {
                Type: "AWS::IAM::Role",
                Properties: {
                    RoleName: { "Fn::Sub": `${names.memberRolePrefix}\${AWS::Region}` },
                    Description: "EventBridge sends root activity to the central event bus (rootguard)",
                    AssumeRolePolicyDocument: {
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "EventBridgeOfThisRuleOnly",
                                Effect: "Allow",
                                Principal: { Service: "events.amazonaws.com" },
                                Action: "sts:AssumeRole",
                                Condition: {
                                    StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
                                    ArnEquals: { "aws:SourceArn": { "Fn::Sub": ruleArn } },
                                },
                            },
                        ],
                    },
                    Policies: [
                        {
                            PolicyName: "put-events-on-the-central-bus",
                            PolicyDocument: {
                                Version: "2012-10-17",
                                Statement: [
                                    {
                                        Sid: "CentralBusOnly",
                                        Effect: "Allow",
                                        Action: "events:PutEvents",
                                        Resource: { Ref: "CentralEventBusArn" },
                                    },
                                ],
                            },
                        },
                    ],
                },
            },
            ForwarderRule: {
                Type: "AWS::Events::Rule",
                Properties: {
                    Name: names.forwarderRule,
                    Description: "Root user API calls (read-only included), console actions and sign-ins → central bus (rootguard)",
                    EventBusName: "default",
                    State: ALL_MANAGEMENT_EVENTS_STATE,
                    EventPattern: rootActivityPattern(),
                    Targets: [
                        {
                            Id: "central-bus",
                            Arn: { Ref: "CentralEventBusArn" },
                            RoleArn: { "Fn::GetAtt": ["ForwarderRole", "Arn"] },
                            DeadLetterConfig: {
                                Arn: {
                                    "Fn::Sub": `arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${CentralAccountId}:${names.deadLetterQueue}`,
                                },
                            },
                            RetryPolicy: {
                                MaximumEventAgeInSeconds: FORWARD_RETRY_POLICY.maximumEventAgeInSeconds,
                                MaximumRetryAttempts: FORWARD_RETRY_POLICY.maximumRetryAttempts,
                            },
                        },
                    ],
                },
            },
        },
    };
}
