/**
 * A KMS key named in rootguard:alertKmsKeyId encrypts the alert topic, so every AWS service that publishes to the
 * topic must be allowed to use it: CloudWatch (the remediator's dead-letter alarm) and EventBridge (root activity
 * alerts). An AWS managed key (alias/aws/…) has a policy nobody can change, so neither can: the alarm and the
 * alerts would be dropped without an error at deploy time. A customer managed key's policy is not read here.
 */
import type { Check } from "../check";
import { topicPublishers } from "../needs";
import { fail, pass } from "../result";

const AWS_MANAGED_ALIAS = /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:)?alias\/aws\//;

export const alertKeyCheck: Check = {
    id: "alert-key",
    title: "Alert topic key usable by its publishers",
    permissions: [],
    notNeeded: (config) => (config.alertKmsKeyId ? undefined : "alertKmsKeyId is empty: the stack creates the key"),
    run: async ({ config }) => {
        const key = config.alertKmsKeyId;
        const services = topicPublishers(config).join(" and ");
        if (AWS_MANAGED_ALIAS.test(key)) {
            return fail(
                `rootguard:alertKmsKeyId ${key} is an AWS managed key: its policy cannot let ${services} use it, so they cannot publish to the alert topic (the dead-letter alarm would never notify)`,
                `pulumi config set rootguard:alertKmsKeyId "" (the stack then creates a key that admits them), or name a customer managed key`,
            );
        }
        return pass(
            `${key}: its key policy must let ${services} use it (kms:GenerateDataKey, kms:Decrypt); doctor does not read key policies`,
        );
    },
};
