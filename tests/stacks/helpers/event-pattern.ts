/**
 * A small EventBridge pattern matcher for tests: exact values, `prefix`, `suffix`, `anything-but`, `exists`,
 * `equals-ignore-case`, nested objects, and event arrays (a list field matches if any element matches).
 * Unsupported operators throw, so a test never passes by ignoring part of a pattern.
 */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function matchOne(matcher: unknown, value: unknown, present: boolean): boolean {
    if (!isObject(matcher)) {
        return present && (Array.isArray(value) ? value.some((v) => v === matcher) : value === matcher);
    }
    const [op, arg] = Object.entries(matcher)[0] ?? [];
    const values = Array.isArray(value) ? value : [value];
    switch (op) {
        case "exists":
            return arg === present;
        case "prefix":
            return present && values.some((v) => typeof v === "string" && v.startsWith(String(arg)));
        case "suffix":
            return present && values.some((v) => typeof v === "string" && v.endsWith(String(arg)));
        case "equals-ignore-case":
            return present && values.some((v) => typeof v === "string" && v.toLowerCase() === String(arg).toLowerCase());
        case "anything-but": {
            const excluded = Array.isArray(arg) ? arg : [arg];
            return present && values.every((v) => !excluded.includes(v));
        }
        default:
            throw new Error(`event-pattern helper: unsupported operator ${String(op)}`);
    }
}

export function matchesPattern(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
    for (const [key, rule] of Object.entries(pattern)) {
        const present = Object.prototype.hasOwnProperty.call(event, key) && event[key] !== undefined;
        const value = event[key];
        if (isObject(rule)) {
            if (!present || !isObject(value)) return false;
            if (!matchesPattern(rule, value)) return false;
            continue;
        }
        if (!Array.isArray(rule)) throw new Error(`event-pattern helper: ${key} must be an array or object`);
        if (!rule.some((m) => matchOne(m, value, present))) return false;
    }
    return true;
}

export function complianceChangeEvent(ruleName: string, complianceType: string, accountId = "123456789012"): Record<string, Json> {
    return {
        version: "0",
        id: "e-1",
        "detail-type": "Config Rules Compliance Change",
        source: "aws.config",
        account: accountId,
        region: "eu-west-1",
        resources: [],
        detail: {
            resourceId: accountId,
            awsRegion: "eu-west-1",
            awsAccountId: accountId,
            configRuleName: ruleName,
            recordVersion: "1.0",
            configRuleARN: `arn:aws:config:eu-west-1:${accountId}:config-rule/config-rule-abc123`,
            messageType: "ComplianceChangeNotification",
            newEvaluationResult: { complianceType, configRuleInvokedTime: "2026-11-22T00:00:00.000Z" },
            resourceType: "AWS::::Account",
        },
    };
}
