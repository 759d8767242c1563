/**
 * Centralized root access: a short root session in a member account, scoped by an AWS task policy.
 * AssumeRoot only answers on regional STS endpoints (the client is built with useGlobalEndpoint false)
 * and caps sessions at 15 minutes.
 */
import { AssumeRootCommand, type STSClient } from "@aws-sdk/client-sts";
import { ASSUME_ROOT_MAX_DURATION_SECONDS, taskPolicyArn } from "../core/aws-facts";
import type { SessionCredentials } from "./clients";

export type RootTask = "IAMAuditRootUserCredentials" | "IAMDeleteRootUserCredentials";

export class AssumeRootError extends Error {
    constructor(
        readonly task: RootTask,
        readonly error: unknown,
    ) {
        super(`AssumeRoot ${task} failed`);
        this.name = "AssumeRootError";
    }
}

export async function assumeRoot(sts: STSClient, accountId: string, task: RootTask, partition = "aws"): Promise<SessionCredentials> {
    let out;
    try {
        out = await sts.send(
            new AssumeRootCommand({
                TargetPrincipal: accountId,
                TaskPolicyArn: { arn: taskPolicyArn(task, partition) },
                DurationSeconds: ASSUME_ROOT_MAX_DURATION_SECONDS,
            }),
        );
    } catch (err) {
        throw new AssumeRootError(task, err);
    }
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
        throw new AssumeRootError(task, new Error("AssumeRoot returned no credentials"));
    }
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}
