/** Doctor's output: one line per check (status, id, what was found, the fix), or one JSON document. */
import { doctorExitCode, type DoctorReport } from "./run";

const STATUS_WIDTH = "cannot-check".length;
const ID_WIDTH = 18;

export function renderText(report: DoctorReport): string {
    const lines: string[] = [];
    const file = report.stackFile ? ` (${report.stackFile.split(/[\\/]/).pop()})` : "";
    lines.push(`rootguard doctor · stack ${report.stack}${file} · mode ${report.mode} · region ${report.region}`);
    for (const note of report.notes) lines.push(`note: ${note}`);
    for (const check of report.checks) {
        const fix = check.fix ? ` — fix: ${check.fix}` : "";
        lines.push(`${check.status.padEnd(STATUS_WIDTH)}  ${check.id.padEnd(ID_WIDTH)}  ${check.detail}${fix}`);
    }
    if (report.stopped) lines.push(`doctor stopped: ${report.stopped}`);
    else if (report.notNeeded.length > 0)
        lines.push(`not needed by this config: ${report.notNeeded.map((n) => `${n.id} (${n.reason})`).join(", ")}`);
    const s = report.summary;
    lines.push(`doctor: ${s.pass} pass · ${s.fail} fail · ${s.cannotCheck} cannot-check (exit ${doctorExitCode(report)})`);
    return lines.join("\n") + "\n";
}

export function renderJson(report: DoctorReport): string {
    return JSON.stringify(report, null, 2) + "\n";
}
