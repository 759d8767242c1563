/**
 * From a program folder to the records the engine would hold after a preview, in two steps so callers can
 * print the notices before the program runs and share one policy pack across many programs (the tests do):
 * `preparePreview` reads the project, stack and config and finds the entry point; `recordPreview` runs the
 * program under mocks and does what the engine does on registration (asset hashes, default providers).
 */
import { rootguardRoot } from "../../core/package-root";
import { withAssetHashes } from "../../engine/assets";
import { remoteComponentNotice, withDefaultProviders } from "./default-providers";
import { explainFailure } from "./failures";
import { parseLookupFlags } from "./lookups";
import { programEntry, type ProgramEntry } from "./program-entry";
import { readProject, type PulumiProject } from "./project";
import { sdkSubstitutions, substitutionNotice, type SdkSubstitution } from "./provider-sdks";
import type { ResourceRecord, RunnerJob } from "./records";
import { shownPath } from "./report";
import { runProgram } from "./run-program";
import { assumeRegionIfUnset, environmentNotice, loadStackConfig, previewRegion, programConfig, type StackConfig } from "./stack-config";
import { selectStack } from "./stack-selection";

export interface PreviewRequest {
    stack?: string;
    allowMissingStackFile?: boolean;
    /** `--config key=value` */
    config?: string[];
    /** `--lookup TOKEN=JSON` */
    lookup?: string[];
}

export interface PreparedPreview {
    project: PulumiProject;
    stack: string;
    config: StackConfig;
    entry: ProgramEntry;
    substitutions: SdkSubstitution[];
    job: RunnerJob;
    /** Said on stderr before the program runs. */
    notices: string[];
}

export function preparePreview(dir: string, request: PreviewRequest = {}): PreparedPreview {
    const lookups = parseLookupFlags(request.lookup ?? []);
    const project = readProject(dir);
    const selection = selectStack(project, request.stack, request.allowMissingStackFile === true);
    const config = loadStackConfig(project, selection, request.config ?? []);
    const notices: string[] = [];
    const esc = environmentNotice(config);
    if (esc) notices.push(esc);
    const assumed = assumeRegionIfUnset(config);
    if (assumed) notices.push(`aws:region is not set for stack '${selection.name}': previewing with ${assumed}`);
    const root = rootguardRoot();
    const entry = programEntry(project);
    notices.push(...entry.warnings);
    const substitutions = sdkSubstitutions(entry, root);
    for (const s of substitutions) notices.push(substitutionNotice(s, shownPath(entry.packageRoot ?? project.dir)));
    const job: RunnerJob = {
        programPath: entry.path,
        esm: entry.esm,
        programDir: project.dir,
        project: project.name,
        stack: selection.name,
        ...programConfig(config),
        rootguardRoot: root,
        region: previewRegion(config),
        lookups,
    };
    return { project, stack: selection.name, config, entry, substitutions, job, notices };
}

export interface RecordedPreview {
    records: ResourceRecord[];
    /** Said on stderr after the program ran. */
    notices: string[];
}

export async function recordPreview(prepared: PreparedPreview): Promise<RecordedPreview> {
    const { project, config, entry, substitutions } = prepared;
    const recorded = await runProgram(prepared.job, (failure) =>
        explainFailure(failure, { project: project.name, programDir: project.dir, config, entry, substitutions }),
    );
    const notices: string[] = [];
    const remote = remoteComponentNotice(recorded);
    if (remote) notices.push(remote);
    const registered = recorded.map((r) => ({
        ...r,
        inputs: withAssetHashes(r.inputs, project.dir),
        outputs: withAssetHashes(r.outputs, project.dir),
    }));
    return { records: withDefaultProviders(registered, config, project.name), notices };
}
