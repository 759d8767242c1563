/**
 * The AWS SDK clients, built once per Lambda container (or once per CLI run) and injected everywhere
 * else, so tests substitute aws-sdk-client-mock or a loopback endpoint without touching the logic.
 */
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IAMClient, type IAMClientConfig } from "@aws-sdk/client-iam";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { STSClient, type STSClientConfig } from "@aws-sdk/client-sts";
import { awsClientConfig } from "../aws/client-config";
import { DEFAULTS } from "./settings";

export interface SessionCredentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
    expiration?: Date;
}

export interface RemediatorClients {
    /** Regional STS (AssumeRoot refuses the global endpoint). */
    sts: STSClient;
    /** IAM with the remediator's own credentials: credential report and account summary of its own account. */
    iam: IAMClient;
    sns: SNSClient;
    config: ConfigServiceClient;
    /** The work queue (the reconcile enqueues accounts). */
    sqs: SQSClient;
    /** Powertools Idempotency records. */
    dynamodb: DynamoDBClient;
    /** IAM acting with AssumeRoot session credentials in a member account. */
    iamWithCredentials(credentials: SessionCredentials): IAMClient;
}

export interface ClientOptions {
    region: string;
    /** Attempts per call including retries (throttling, 5xx, timeouts). */
    maxAttempts?: number;
    /** Replaces the SDK's adaptive strategy; tests pass one with millisecond backoff. */
    retryStrategy?: STSClientConfig["retryStrategy"];
    /** Tests pass a capturing handler; otherwise the SDK's node HTTP handler. */
    requestHandler?: STSClientConfig["requestHandler"];
}

export function createClients(options: ClientOptions): RemediatorClients {
    // Adaptive adds client-side rate limiting on top of standard retries: the reconcile fans out
    // across accounts, and IAM/STS throttle per caller, not per target account.
    const common = awsClientConfig({
        region: options.region,
        retryMode: "adaptive",
        maxAttempts: options.maxAttempts ?? DEFAULTS.maxAttempts,
        retryStrategy: options.retryStrategy,
        requestHandler: options.requestHandler,
    });
    const iam = new IAMClient(common);
    return {
        sts: new STSClient({ ...common, useGlobalEndpoint: false }),
        iam,
        sns: new SNSClient(common),
        config: new ConfigServiceClient(common),
        sqs: new SQSClient(common),
        dynamodb: new DynamoDBClient(common),
        iamWithCredentials: (credentials) =>
            // Sharing the base client's handler keeps one socket pool across thousands of sessions.
            new IAMClient({ ...common, credentials, requestHandler: iam.config.requestHandler } as IAMClientConfig),
    };
}
