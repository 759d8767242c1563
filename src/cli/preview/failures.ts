/**
 * A failed program run as the one line the user needs: which config key to set, which package to install and
 * where, or where the program broke, plus the version rootguard used when it stood in for another.
 */
import { UserError } from "../errors";
import { shownPath } from "./report";
import type { ProgramEntry } from "./program-entry";
import type { SdkSubstitution } from "./provider-sdks";
import type { RunnerFailure } from "./records";
import { missingConfig, type StackConfig } from "./stack-config";

export interface FailureContext {
    project: string;
    programDir: string;
    config: StackConfig;
    entry: ProgramEntry;
    substitutions: SdkSubstitution[];
}

function declares(entry: ProgramEntry, pkg: string): boolean {
    return ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"].some((field) => {
        const deps = entry.packageJson[field];
        return deps !== null && typeof deps === "object" && pkg in (deps as object);
    });
}

export function explainFailure(failure: RunnerFailure, ctx: FailureContext): UserError {
    if (failure.reason === "config") return missingConfig(failure.key, ctx.project, ctx.config);
    const where = failure.frame ? ` (at ${failure.frame})` : "";
    const shownDir = shownPath(ctx.entry.packageRoot ?? ctx.programDir);
    if (failure.reason === "module") {
        const install = declares(ctx.entry, failure.module) ? "`npm install`" : `\`npm install ${failure.module}\``;
        return new UserError(
            `program needs ${failure.module}, which is not installed in ${shownDir} and not carried by rootguard: run ${install} in ${shownDir}${where}`,
        );
    }
    if (/Failed to find package\.json/.test(failure.message)) {
        // Pulumi's closure serializer reads the program's package.json to pack a callback function's dependencies.
        const message = failure.message.replace(/\.$/, "");
        return new UserError(
            `program failed: ${message}${where}; a callback function needs the program's package.json: add one to ${shownDir}`,
        );
    }
    const substituted = ctx.substitutions.map((s) => `rootguard's ${s.pkg} ${s.used} stood in for ${s.wanted}`).join(", ");
    const hint = substituted ? ` [${substituted}: run \`npm install\` in ${shownDir}]` : "";
    return new UserError(`program failed: ${failure.message}${where}${hint}`);
}
