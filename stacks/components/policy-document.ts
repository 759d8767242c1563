/**
 * IAM policy documents as typed data. Every document the stack writes goes through here, so the
 * "no wildcard actions" rule can be enforced where documents are made, not only in tests.
 */
import * as pulumi from "@pulumi/pulumi";
import { hasWildcard } from "../../src/core/iam-policy";

export interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: Record<string, pulumi.Input<string | pulumi.Input<string>[]>> | "*";
    Action: string | string[];
    Resource?: pulumi.Input<string> | pulumi.Input<string>[];
    Condition?: Record<string, Record<string, pulumi.Input<string | pulumi.Input<string>[]>>>;
}

/** Allow statements with `*` in an action are refused: rootguard's own roles name every action they use. */
function assertNamedActions(statements: readonly Statement[]): void {
    for (const st of statements) {
        if (st.Effect !== "Allow") continue;
        for (const action of Array.isArray(st.Action) ? st.Action : [st.Action]) {
            if (hasWildcard(action)) {
                throw new Error(`rootguard: policy statement ${st.Sid ?? ""} allows the wildcard action ${action}`);
            }
        }
    }
}

export function policyDocument(statements: Statement[]): pulumi.Output<string> {
    assertNamedActions(statements);
    return pulumi.jsonStringify(pulumi.output({ Version: "2012-10-17", Statement: statements }));
}

/**
 * Trust policy for an AWS service. With `sourceAccount`, limited to this account against the confused deputy
 * problem (Config, SSM and EventBridge send `aws:SourceAccount`; Lambda does not, so it gets none).
 */
export function serviceTrustPolicy(service: string, sourceAccount?: pulumi.Input<string>): pulumi.Output<string> {
    return policyDocument([
        {
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sts:AssumeRole",
            ...(sourceAccount === undefined ? {} : { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } }),
        },
    ]);
}
