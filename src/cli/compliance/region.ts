import { REGION_PATTERN } from "../../core/regions";
import { UserError } from "../errors";

/**
 * A region name the SDK would put in a host name. Without this check `--region foo` surfaced as "cannot reach
 * AWS … check the network" (config.foo.amazonaws.com does not resolve).
 */
export function checkRegion(region: string, from: string): void {
    if (!REGION_PATTERN.test(region)) {
        throw new UserError(`${from} ${JSON.stringify(region)} is not an AWS region name (like us-east-1 or eu-west-1)`);
    }
}

/** Where the SDK found the region when --region did not name one. */
export const RESOLVED_REGION = "the region from AWS_REGION or the AWS profile";
