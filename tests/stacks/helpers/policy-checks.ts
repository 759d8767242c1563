/**
 * Checks of one generated policy document against AWS's own data. Each returns the problems it found, one
 * line each, so the tests can show all of them and the negative controls can prove each check can fail.
 */
import {
    validateIdentityPolicy,
    validateResourceControlPolicy,
    validateResourcePolicy,
    validateServiceControlPolicy,
    validateTrustPolicy,
} from "@cloud-copilot/iam-policy";
import { TRUST_WITHOUT_SOURCE } from "../../../stacks/components/policy-document";
import { ActionFacts, arnFitsForm, conditionKeyFacts, expandAction, operatorFitsType, typesForArn } from "./iam-reference";
import { GeneratedDocument, list, statements } from "./policy-documents";

const VALIDATORS = {
    identity: validateIdentityPolicy,
    trust: validateTrustPolicy,
    resource: validateResourcePolicy,
    scp: validateServiceControlPolicy,
    rcp: validateResourceControlPolicy,
};

/** Syntax and structure for the kind of policy AWS evaluates it as (iam-policy's validators). */
export function syntaxProblems(d: GeneratedDocument): string[] {
    return VALIDATORS[d.kind](d.doc).map((e) => `${d.where}: ${e.path}: ${e.message}`);
}

async function actionsOf(d: GeneratedDocument, st: any, problems: string[]): Promise<{ pattern: string; facts: ActionFacts[] }[]> {
    const out = [];
    for (const pattern of [...list(st.Action), ...list(st.NotAction)]) {
        if (pattern === "*") continue;
        try {
            out.push({ pattern, facts: await expandAction(pattern) });
        } catch (err) {
            problems.push(`${d.where} ${st.Sid ?? ""}: ${(err as Error).message}`);
        }
    }
    return out;
}

/** Every action exists (wildcards match at least one), as the Service Authorization Reference lists them. */
export async function actionProblems(d: GeneratedDocument): Promise<string[]> {
    const problems: string[] = [];
    for (const st of statements(d.doc)) await actionsOf(d, st, problems);
    return problems;
}

/**
 * Resources name resource types the actions take. An explicit ARN must fit one of each action's ARN forms (or,
 * for a service wildcard, one of the service's); `*` in an identity Allow is only for actions without
 * resource-level permissions. In a resource policy every action must apply to the resource it guards: a key
 * policy action without the key resource type (kms:ListAliases) grants nothing.
 */
export async function resourceProblems(d: GeneratedDocument): Promise<string[]> {
    const problems: string[] = [];
    if (d.kind === "trust" || d.kind === "scp" || d.kind === "rcp") return problems;
    for (const st of statements(d.doc)) {
        const where = `${d.where} ${st.Sid ?? ""}`.trim();
        const actions = await actionsOf(d, st, []);
        const resources = list(st.Resource).map((r) => (r === "*" && d.kind === "resource" && d.target ? d.target : r));
        for (const arn of resources) {
            if (arn === "*") {
                if (d.kind !== "identity" || st.Effect !== "Allow") continue;
                for (const { pattern, facts } of actions) {
                    if (facts.some((f) => !f.wildcardOnly))
                        problems.push(`${where}: Resource "*" for ${pattern}, which takes resource ARNs`);
                }
                continue;
            }
            for (const { pattern, facts } of actions) {
                const wildcard = pattern.includes("*");
                if (!wildcard && facts[0].wildcardOnly) {
                    problems.push(`${where}: ${pattern} has no resource-level permissions, so naming ${arn} grants or denies nothing`);
                } else if (typesForArn(facts, arn).length === 0) {
                    const forms = [...new Set(facts.flatMap((f) => f.resourceTypes.map((rt) => rt.arn)))].slice(0, 4).join(", ");
                    problems.push(`${where}: ${arn} is not a resource ${pattern} takes (${forms})`);
                }
            }
        }
    }
    return problems;
}

/**
 * Every condition key exists, applies to the statement (global keys always; a service key only if one of the
 * statement's actions or their resource types lists it), and is compared with an operator of its type.
 */
export async function conditionProblems(d: GeneratedDocument): Promise<string[]> {
    const problems: string[] = [];
    for (const st of statements(d.doc)) {
        const where = `${d.where} ${st.Sid ?? ""}`.trim();
        const actions = await actionsOf(d, st, []);
        const applicable = new Set(
            actions
                .flatMap(({ facts }) => facts.flatMap((f) => [...f.conditionKeys, ...f.resourceTypes.flatMap((rt) => rt.conditionKeys)]))
                .map((k) => k.toLowerCase()),
        );
        for (const [operator, keys] of Object.entries((st.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
            for (const key of Object.keys(keys)) {
                const facts = await conditionKeyFacts(key);
                if (!facts) {
                    problems.push(`${where}: no condition key ${key}`);
                    continue;
                }
                const wholeService = actions.some(
                    ({ pattern }) => pattern.endsWith(":*") && key.toLowerCase().startsWith(pattern.split(":")[0] + ":"),
                );
                if (!facts.global && !wholeService && !applicable.has(facts.key.toLowerCase())) {
                    problems.push(`${where}: ${key} is not a condition key of ${actions.map((a) => a.pattern).join(", ")}`);
                }
                if (!operatorFitsType(operator, facts.type)) problems.push(`${where}: ${operator} cannot compare ${key} (${facts.type})`);
            }
        }
    }
    return problems;
}

/**
 * A role an AWS service assumes is pinned to this account and to the service's own resources with
 * aws:SourceAccount and aws:SourceArn (confused deputy prevention), unless the service documents no such keys.
 */
export function trustProblems(d: GeneratedDocument): string[] {
    if (d.kind !== "trust") return [];
    const problems: string[] = [];
    for (const st of statements(d.doc)) {
        for (const service of list(st.Principal?.Service)) {
            if (service in TRUST_WITHOUT_SOURCE) continue;
            const conditions = Object.values((st.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap((c) =>
                Object.keys(c),
            );
            for (const key of ["aws:SourceAccount", "aws:SourceArn"]) {
                if (!conditions.some((k) => k.toLowerCase() === key.toLowerCase()))
                    problems.push(`${d.where}: trust of ${service} lacks ${key}`);
            }
            const arns = Object.entries((st.Condition ?? {}) as Record<string, Record<string, unknown>>)
                .filter(([op]) => /^Arn(Like|Equals)/.test(op))
                .flatMap(([, c]) => list(c["aws:SourceArn"]));
            const prefix = service.split(".")[0];
            for (const arn of arns)
                if (!arnFitsForm(arn, `arn:\${Partition}:${prefix}:\${Region}:\${Account}:\${Resource}`))
                    problems.push(`${d.where}: aws:SourceArn ${arn} is not a ${prefix} ARN`);
        }
    }
    return problems;
}

/** A deny of plain-HTTP requests must cover every action of the service, not a few. */
export function transportProblems(d: GeneratedDocument): string[] {
    const problems: string[] = [];
    for (const st of statements(d.doc)) {
        const bools = Object.entries((st.Condition ?? {}) as Record<string, Record<string, unknown>>)
            .filter(([op]) => op.startsWith("Bool"))
            .map(([, c]) => c["aws:SecureTransport"]);
        if (!bools.some((v) => String(v) === "false")) continue;
        const actions = list(st.Action);
        if (st.Effect !== "Deny" || !actions.every((a) => a === "*" || /^[a-z0-9-]+:\*$/.test(a))) {
            problems.push(`${d.where} ${st.Sid ?? ""}: TLS-only deny lists ${actions.join(", ")} instead of the service's *`);
        }
    }
    return problems;
}
