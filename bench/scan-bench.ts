/**
 * scanForCredentials on large values beside the cheapest possible scan of the same bytes: one pass of the
 * key-ID regex over the serialized value. Each input is measured at 1×, 2× and 4× its size; a linear scanner
 * takes about 2× and 4× the time (the ratios reported), a quadratic one 4× and 16×.
 */
import { keyIdPattern } from "../src/core/access-keys";
import { scanForCredentials } from "../src/core/credential-scan";
import { timeSync } from "./measure";
import type { BenchOptions } from "./options";
import { withRatio, type Row } from "./report";
import { fakeKeyId, fakeSecret, prng } from "./resources";

interface Input {
    id: string;
    label: string;
    /** The value at scale `factor`, and the serialized bytes the baseline regex reads. */
    make(factor: number): { value: unknown; text: string };
}

const SCALES = [1, 2, 4] as const;
const LINEAR_SLACK = 1.5;
// Best of five: a CPU-bound function on a shared machine is only ever slowed down by noise, never sped up.
const SCAN_REPEATS = 5; // 4× input in ≤ 6× time still counts as linear; quadratic would be 16×.

/** A CloudFormation template body, as a stack passes it to aws:cloudformation/stack:Stack. */
function templateBody(bytes: number, seed: number): string {
    const rnd = prng(seed);
    const resources: string[] = [];
    let size = 0;
    for (let i = 0; size < bytes; i++) {
        const entry = `"R${i}":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":"bucket-${i}","Tags":[{"Key":"team","Value":"t${Math.floor(rnd() * 1e6)}"}],"VersioningConfiguration":{"Status":"Enabled"}}}`;
        resources.push(entry);
        size += entry.length + 1;
    }
    // The one credential sits last, so the scan must read everything before it (and findings never reach the
    // scanner's cap, which would end the scan early and flatter the figure).
    resources.push(
        `"Leaky":{"Type":"AWS::Lambda::Function","Properties":{"Environment":{"Variables":{"AWS_ACCESS_KEY_ID":"${fakeKeyId(rnd)}","AWS_SECRET_ACCESS_KEY":"${fakeSecret(rnd)}"}}}}`,
    );
    return `{"AWSTemplateFormatVersion":"2010-09-09","Resources":{${resources.join(",")}}}`;
}

function envMap(entries: number, seed: number): Record<string, string> {
    const rnd = prng(seed);
    const vars: Record<string, string> = {};
    for (let i = 0; i < entries; i++) vars[`VAR_${i}`] = i === entries - 1 ? fakeKeyId(rnd) : `value-${Math.floor(rnd() * 1e9)}-${i}`;
    return vars;
}

function nest(levels: number, seed: number): Record<string, unknown> {
    const rnd = prng(seed);
    let node: Record<string, unknown> = { leaf: fakeKeyId(rnd) };
    for (let i = 0; i < levels; i++) {
        node = {
            name: `level-${i}`,
            description: `configuration block ${i} `.repeat(20),
            settings: { a: i, b: `${Math.floor(rnd() * 1e9)}` },
            child: node,
        };
    }
    return node;
}

export function scanInputs(options: BenchOptions): Input[] {
    return [
        {
            id: "scan.template",
            label: `${(options.templateBytes / 1e6).toFixed(1)} MB template string`,
            make: (f) => {
                const body = templateBody(options.templateBytes * f, 1);
                return { value: { templateBody: body }, text: body };
            },
        },
        {
            id: "scan.env-map",
            label: `${options.envEntries.toLocaleString("en-US")}-entry env map`,
            make: (f) => {
                const value = { environment: { variables: envMap(options.envEntries * f, 2) } };
                return { value, text: JSON.stringify(value) };
            },
        },
        {
            id: "scan.nest",
            label: `${options.nestLevels}-level nest`,
            make: (f) => {
                const value = nest(options.nestLevels * f, 3);
                return { value, text: JSON.stringify(value) };
            },
        },
    ];
}

function regexPass(text: string): number {
    const re = keyIdPattern();
    let n = 0;
    while (re.exec(text)) n++;
    return n;
}

export function scanRows(options: BenchOptions): Row[] {
    const rows: Row[] = [];
    for (const input of scanInputs(options)) {
        const scanMs: number[] = [];
        const regexMs: number[] = [];
        let bytes1 = 0;
        // Untimed first pass: JIT and the lazily loaded YAML parser would otherwise land on the 1× figure.
        scanForCredentials(input.make(1).value);
        for (const f of SCALES) {
            const { value, text } = input.make(f);
            if (f === 1) bytes1 = Buffer.byteLength(text);
            const runs = Array.from({ length: options.quick ? 1 : SCAN_REPEATS }, () => {
                const scan = timeSync(() => scanForCredentials(value));
                const regex = timeSync(() => regexPass(text));
                if (scan.value.length === 0 || scan.value.length > 2)
                    throw new Error(
                        `${input.id}: expected the one planted credential, found ${scan.value.length}; the bench would measure a broken or truncated scan`,
                    );
                return [scan.ms, regex.ms];
            });
            scanMs.push(Math.min(...runs.map((r) => r[0])));
            regexMs.push(Math.min(...runs.map((r) => r[1])));
        }
        const mbps = (ms: number) => bytes1 / 1e6 / (ms / 1000);
        const growth = SCALES.map((_, i) => scanMs[i] / scanMs[0]);
        const linear = growth[2] <= 4 * LINEAR_SLACK;
        rows.push(
            withRatio({
                section: "scan",
                id: input.id,
                figure: `scanForCredentials, ${input.label} (best of ${options.quick ? 1 : SCAN_REPEATS})`,
                value: mbps(scanMs[0]),
                unit: "MB/s",
                baseline: { name: "single regex pass", value: mbps(regexMs[0]) },
                growth,
                target: { description: `linear: 1×/2×/4× time = 1/${growth[1].toFixed(2)}/${growth[2].toFixed(2)}`, met: linear },
                note: `${(bytes1 / 1e6).toFixed(2)} MB at 1×; scan ${scanMs.map((m) => m.toFixed(1)).join("/")} ms, regex ${regexMs.map((m) => m.toFixed(1)).join("/")} ms at 1×/2×/4×`,
            }),
        );
    }
    return rows;
}
