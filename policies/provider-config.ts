/**
 * What an aws / aws-native provider's configuration says about the credentials it deploys with. Shared by
 * aws-provider-static-credentials (offline) and no-root-credentials (which verifies them with STS).
 */
import { isAccessKeyId, maskKeyId } from "../src/core/access-keys";
import { asString, isUnknown, rawProps, readProp } from "../src/core/pulumi-values";
import { isAwsProviderType } from "./resource-types";

export interface ProviderRef {
    type: string;
    urn: string;
    name: string;
    props: unknown;
}

export interface ProviderCredentials {
    type: string;
    urn: string;
    name: string;
    /** `accessKey` or `secretKey` is set — as plain text, a secret, or an unknown: presence counts. */
    hasStaticKeys: boolean;
    /** Readable values, for STS and offline comparison. Never put these in a message. */
    accessKeyId?: string;
    secretAccessKey?: string;
    sessionToken?: string;
    profile?: string;
    region?: string;
}

function isSet(value: unknown): boolean {
    if (value === undefined || value === null) return false;
    if (isUnknown(value)) return true;
    return !(typeof value === "string" && value.trim() === "");
}

function nonEmpty(value: unknown): string | undefined {
    const s = asString(value)?.trim();
    return s === undefined || s === "" ? undefined : s;
}

export function readProviderCredentials(ref: ProviderRef): ProviderCredentials {
    const props = rawProps(ref.props);
    return {
        type: ref.type,
        urn: ref.urn,
        name: ref.name,
        hasStaticKeys: isSet(readProp(props, "accessKey")) || isSet(readProp(props, "secretKey")),
        accessKeyId: nonEmpty(readProp(props, "accessKey")),
        secretAccessKey: nonEmpty(readProp(props, "secretKey")),
        sessionToken: nonEmpty(readProp(props, "token")),
        profile: nonEmpty(readProp(props, "profile")),
        region: nonEmpty(readProp(props, "region")),
    };
}

/** The provider behind a resource: the resource itself when it is an AWS provider, else its `provider`. */
export function awsProviderOf(resource: {
    type: string;
    urn: string;
    name: string;
    props: unknown;
    provider?: ProviderRef;
}): ProviderRef | undefined {
    if (isAwsProviderType(resource.type)) return { type: resource.type, urn: resource.urn, name: resource.name, props: resource.props };
    const p = resource.provider;
    if (p && typeof p.type === "string" && isAwsProviderType(p.type)) return p;
    return undefined;
}

/** A provider's identity for de-duplication: its URN, or its type and name when a caller gave no URN. */
export function providerKey(p: { type: string; urn: string; name: string }): string {
    return p.urn || `${p.type}::${p.name}`;
}

/** The key ID as it may appear in a message. */
export function shownKeyId(keyId: string | undefined): string | undefined {
    return keyId !== undefined && isAccessKeyId(keyId) ? maskKeyId(keyId) : undefined;
}
