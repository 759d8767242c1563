/** Every check after the caller's identity, in the order the report prints them. */
import type { Check } from "../check";
import { alertKeyCheck } from "./alert-key";
import { lambdaCheck } from "./lambda";
import { managementAccountCheck, scpCheck, trustedAccessCheck } from "./organization";
import { recorderCheck } from "./recorder";
import { regionCheck } from "./region";
import { rootAccessCheck } from "./root-access";
import { ruleNamesCheck } from "./rule-names";
import { trailCheck } from "./trail";

export { CALLER_CHECK, readCaller } from "./caller";

export const CHECKS: readonly Check[] = [
    regionCheck,
    managementAccountCheck,
    scpCheck,
    trustedAccessCheck,
    rootAccessCheck,
    recorderCheck,
    trailCheck,
    alertKeyCheck,
    lambdaCheck,
    ruleNamesCheck,
];
