/**
 * Names and settings the root activity path shares between what Pulumi creates in the deploying account and what
 * the StackSet template creates in member accounts: one copy, so the two cannot drift.
 */

export function activityNames(namePrefix: string) {
    return {
        /** The central custom event bus every forwarder sends to (stack region, deploying account). */
        bus: `${namePrefix}-root-activity`,
        /** The default-bus rule in every watched region of every account. */
        forwarderRule: `${namePrefix}-root-activity-forwarder`,
        /** Deploying account, regions other than the stack region: relays alarm state changes to the bus. */
        alarmRelayRule: `${namePrefix}-alarm-relay`,
        /** Rules on the central bus. */
        signInRule: `${namePrefix}-root-sign-in`,
        apiCallRule: `${namePrefix}-root-api-call`,
        failedApiCallRule: `${namePrefix}-root-api-call-refused`,
        alarmRule: `${namePrefix}-alarm`,
        /** One per watched region in the deploying account; member accounts' forwarders use it too. */
        deadLetterQueue: `${namePrefix}-root-activity-dlq`,
        /** Member accounts: one role per region (a StackSet instance is regional, role names are global). */
        memberRolePrefix: `${namePrefix}-root-activity-`,
        stackSet: `${namePrefix}-root-activity`,
    };
}

/** EventBridge's own default (24 hours, 185 attempts): a slow or throttled target still gets the event. */
export const FORWARD_RETRY_POLICY = { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 };
