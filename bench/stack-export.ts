/**
 * A `pulumi stack export` (deployment version 3) of generated resources, for `rootguard analyze` at scale:
 * the stack, the default aws provider, then resources with inputs and outputs (outputs add id, arn and a
 * few provider-computed fields, as state does), the shapes bench/resources.ts generates.
 */
import { defaultProvider, generateResources } from "./resources";

export interface ExportShape {
    /** Resources besides the stack and the provider. */
    resources: number;
    bytes: number;
    text: string;
}

/** Resources are added until the export reaches `targetBytes` (or `maxResources`). */
export function generateStackExport(targetBytes: number, maxResources = 1_000_000): ExportShape {
    const stack = "bench";
    const project = "app";
    const provider = defaultProvider();
    const providerRef = `${provider.urn}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`;
    const stackUrn = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
    const parts: string[] = [
        JSON.stringify({ urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", outputs: {} }),
        JSON.stringify({
            urn: provider.urn,
            custom: true,
            id: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
            type: provider.type,
            inputs: provider.properties,
            outputs: provider.properties,
        }),
    ];
    let bytes = parts[0].length + parts[1].length + 200;
    let count = 0;
    // The same seed gives the same stack every run.
    const batch = generateResources(Math.min(maxResources, Math.ceil(targetBytes / 3000) + 1));
    const add = (text: string): void => {
        parts.push(text);
        bytes += text.length + 2;
        count++;
    };
    for (const r of batch) {
        if (bytes >= targetBytes || count >= maxResources) break;
        const id = `${r.name}-${count.toString(16).padStart(8, "0")}`;
        const outputs = {
            ...r.properties,
            id,
            arn: `arn:aws:${r.type.split(":")[1].split("/")[0]}:us-east-1:111122223333:${r.name}`,
            tagsAll: (r.properties as { tags?: unknown }).tags ?? {},
        };
        const text = JSON.stringify({
            urn: r.urn.replace("urn:pulumi:bench::app::", `urn:pulumi:${stack}::${project}::`),
            custom: true,
            id,
            type: r.type,
            inputs: r.properties,
            outputs,
            parent: stackUrn,
            provider: providerRef,
            created: "2026-11-01T00:00:00.000Z",
            modified: "2026-11-01T00:00:00.000Z",
        });
        add(text);
        // Real stacks hold many small resources beside the large ones (attachments, rules, routes): about
        // 4 KB per resource on average, as in a 100 MB export of 25,000 resources.
        const attachmentUrn = `urn:pulumi:${stack}::${project}::aws:iam/rolePolicyAttachment:RolePolicyAttachment::${r.name}-attach`;
        const attachment = { role: `${r.name}-role`, policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" };
        add(
            JSON.stringify({
                urn: attachmentUrn,
                custom: true,
                id: `${r.name}-role-attach`,
                type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                inputs: attachment,
                outputs: { ...attachment, id: `${r.name}-role-attach` },
                parent: stackUrn,
                provider: providerRef,
                dependencies: [r.urn.replace("urn:pulumi:bench::app::", `urn:pulumi:${stack}::${project}::`)],
            }),
        );
    }
    const text = `{"version":3,"deployment":{"manifest":{"time":"2026-11-01T00:00:00.000Z","magic":"","version":"v3.200.0"},"secrets_providers":{"type":"passphrase"},"resources":[\n${parts.join(",\n")}\n]}}\n`;
    return { resources: count, bytes: Buffer.byteLength(text), text };
}
