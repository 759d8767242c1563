/**
 * Root activity detection: which EventBridge events are root activity, and the one-line alert text a person
 * reads. One copy for the stacks (Pulumi rules and the StackSet template) and anything that checks them.
 *
 * Facts, from the EventBridge User Guide ("AWS service events delivered via AWS CloudTrail";
 * "Receiving read-only management events from AWS services"):
 * - CloudTrail delivers to the default event bus only, and only while a trail is logging.
 * - Read-only management calls (ListBuckets, Get*, Describe*) reach only rules whose state is
 *   `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`.
 * - Events are delivered in the region where CloudTrail records them: root console sign-ins in the partition's
 *   global-events region (us-east-1 in the commercial partition), calls to global services such as IAM there
 *   too, everything else where it happened. Watching every region is the only complete answer.
 */

/** The rule state that also receives read-only management events. */
export const ALL_MANAGEMENT_EVENTS_STATE = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";

export const API_CALL_DETAIL_TYPE = "AWS API Call via CloudTrail";
export const CONSOLE_ACTION_DETAIL_TYPE = "AWS Console Action via CloudTrail";
/**
 * Sign-in events. The EventBridge User Guide spells it "AWS Console Signin via CloudTrail"; delivered events and
 * AWS's own samples spell it "AWS Console Sign In via CloudTrail". Matching is exact, so both are listed.
 */
export const SIGN_IN_DETAIL_TYPES = ["AWS Console Sign In via CloudTrail", "AWS Console Signin via CloudTrail"] as const;

/**
 * Who counts as root: `userIdentity.type` Root, not acting through an AWS service on root's behalf
 * (`invokedBy` absent) — the same test as CIS AWS Foundations 4.3/3.3 and Security Hub CloudWatch.1
 * (`$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS`).
 */
const ROOT_IDENTITY = { type: ["Root"], invokedBy: [{ exists: false }] };

export type EventPattern = Record<string, unknown>;

/** Root sign-ins, password changes and other sign-in events (root password/MFA changes in the console). */
export function rootSignInPattern(): EventPattern {
    return { "detail-type": [...SIGN_IN_DETAIL_TYPES], detail: { userIdentity: ROOT_IDENTITY } };
}

/**
 * Root API calls (write and read-only, with `ALL_MANAGEMENT_EVENTS_STATE`) and console actions that succeeded, or
 * (`failed`) that AWS refused: split so each alert says plainly which one it is.
 */
export function rootApiCallPattern(outcome: "succeeded" | "failed"): EventPattern {
    return {
        "detail-type": [API_CALL_DETAIL_TYPE, CONSOLE_ACTION_DETAIL_TYPE],
        detail: { userIdentity: ROOT_IDENTITY, errorCode: [{ exists: outcome === "failed" }] },
    };
}

/** Everything above: what a forwarder sends to the central bus. */
export function rootActivityPattern(): EventPattern {
    return {
        "detail-type": [API_CALL_DETAIL_TYPE, CONSOLE_ACTION_DETAIL_TYPE, ...SIGN_IN_DETAIL_TYPES],
        detail: { userIdentity: ROOT_IDENTITY },
    };
}

/**
 * CloudWatch alarms named `<namePrefix>-…` going into ALARM. Only ALARM: a new alarm moves from INSUFFICIENT_DATA
 * to OK once, and an e-mail for every alarm of every region on each deployment would teach people to ignore them.
 */
export function alarmStateChangePattern(namePrefix: string): EventPattern {
    return {
        source: ["aws.cloudwatch"],
        "detail-type": ["CloudWatch Alarm State Change"],
        detail: { alarmName: [{ prefix: `${namePrefix}-` }], state: { value: ["ALARM"] } },
    };
}

/** An EventBridge input transformer: JSON paths into the event, and a template using them as `<name>`. */
export interface InputTransformer {
    inputPaths: Record<string, string>;
    /** A JSON string literal (quotes included): SNS then delivers the text itself, one line. */
    inputTemplate: string;
}

const EVENT_PATHS = {
    account: "$.account",
    region: "$.region",
    time: "$.time",
    eventName: "$.detail.eventName",
    eventSource: "$.detail.eventSource",
    sourceIp: "$.detail.sourceIPAddress",
    userAgent: "$.detail.userAgent",
    eventId: "$.detail.eventID",
};

/**
 * One line a responder reads first: account, region, what happened, from where, with what. EventBridge leaves a
 * variable whose path is missing out of the output, so every variable used here is present in its events.
 */
export function rootApiCallAlert(outcome: "succeeded" | "failed"): InputTransformer {
    const what = outcome === "failed" ? "ROOT USER ACTIVITY, REFUSED (<errorCode>)," : "ROOT USER ACTIVITY";
    return {
        inputPaths: { ...EVENT_PATHS, ...(outcome === "failed" ? { errorCode: "$.detail.errorCode" } : {}) },
        inputTemplate: JSON.stringify(
            `${what} in AWS account <account> (<region>): <eventName> on <eventSource> from IP <sourceIp>, ` +
                "user agent <userAgent>, at <time>. Nobody should use the root user: find out who did this. " +
                "CloudTrail event id <eventId>.",
        ),
    };
}

/** Sign-in events carry their outcome in responseElements (ConsoleLogin: Success/Failure) and MFA use. */
export function rootSignInAlert(): InputTransformer {
    return {
        inputPaths: {
            ...EVENT_PATHS,
            result: "$.detail.responseElements.ConsoleLogin",
            mfaUsed: "$.detail.additionalEventData.MFAUsed",
        },
        inputTemplate: JSON.stringify(
            "ROOT USER SIGN-IN in AWS account <account> (<region>): <eventName> <result> from IP <sourceIp>, " +
                "user agent <userAgent>, at <time>. MFA used: <mfaUsed>. " +
                "Nobody should sign in as root: find out who did this. CloudTrail event id <eventId>.",
        ),
    };
}

export function alarmAlert(): InputTransformer {
    return {
        inputPaths: {
            account: "$.account",
            region: "$.region",
            time: "$.time",
            alarmName: "$.detail.alarmName",
            state: "$.detail.state.value",
            reason: "$.detail.state.reason",
        },
        inputTemplate: JSON.stringify(
            "ROOTGUARD ALARM <alarmName> is <state> in AWS account <account> (<region>) at <time>: <reason> " +
                "Root activity alerts may not be arriving: see the alarm's description for what to check.",
        ),
    };
}
