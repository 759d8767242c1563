/** The bench's own logic, in-process: its options, the resources it generates, its table, and the on-demand awsguard install. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AWSGUARD_FOLDER, awsguardDir, ensureAwsguard } from "../../bench/awsguard";
import { parseOptions } from "../../bench/options";
import { formatTable, withRatio, type Results } from "../../bench/report";
import { generateResources } from "../../bench/resources";
import { runBench } from "../../bench/run";

const REPO_ROOT = path.resolve(__dirname, "../..");

describe("bench: options and generated resources", () => {
    it("ROOTGUARD_BENCH_N selects the tiny-N mode with that many resources; --quick alone uses 20", () => {
        assert.deepEqual(
            [parseOptions([], { ROOTGUARD_BENCH_N: "5" }).quick, parseOptions([], { ROOTGUARD_BENCH_N: "5" }).resources],
            [true, 5],
        );
        assert.equal(parseOptions(["--quick"], {}).resources, 20);
        const full = parseOptions([], {});
        assert.equal(full.quick, false);
        assert.equal(full.resources, 2000);
        assert.ok(full.starts >= 5);
        assert.equal(full.templateBytes, 10 * 1024 * 1024);
        assert.equal(full.envEntries, 100_000);
        assert.equal(full.nestLevels, 200);
        assert.equal(full.install, true);
        assert.equal(parseOptions(["--no-install"], {}).install, false);
        assert.throws(() => parseOptions([], { ROOTGUARD_BENCH_N: "lots" }), /ROOTGUARD_BENCH_N must be a positive integer/);
        assert.throws(() => parseOptions(["--fast"], {}), /unknown option --fast/);
        assert.deepEqual([...parseOptions(["--only", "pack,scan"], {}).sections], ["pack", "scan"]);
        assert.throws(() => parseOptions(["--only", "packs"], {}), /--only takes pack, scan, corpus, preview, remediator; not packs/);
    });

    it("generates the same realistic resources every time, in every shape the docs name", () => {
        const a = generateResources(300);
        assert.deepEqual(a, generateResources(300));
        const types = new Set(a.map((r) => r.type));
        for (const t of [
            "aws:lambda/function:Function",
            "aws:ecs/taskDefinition:TaskDefinition",
            "aws:ec2/instance:Instance",
            "aws:s3/bucket:Bucket",
        ]) {
            assert.ok(types.has(t), t);
        }
        assert.ok([...types].some((t) => t.startsWith("aws:iam/")));
        for (const r of a) {
            if (r.type === "aws:ecs/taskDefinition:TaskDefinition")
                assert.ok(Array.isArray(JSON.parse(r.properties.containerDefinitions as string)));
            if (r.type === "aws:ec2/instance:Instance")
                assert.match(Buffer.from(r.properties.userData as string, "base64").toString(), /^#!\/bin\/bash/);
            if (r.type.startsWith("aws:iam/")) assert.equal(JSON.parse(r.properties.policy as string).Version, "2012-10-17");
            assert.equal(r.provider?.type, "pulumi:providers:aws");
        }
        const text = (r: (typeof a)[number]) =>
            r.type === "aws:ec2/instance:Instance"
                ? Buffer.from(r.properties.userData as string, "base64").toString()
                : JSON.stringify(r.properties);
        const leaky = a.filter((r) => /AKIA[A-Z2-7]{16}/.test(text(r)));
        assert.deepEqual(
            leaky.map((r) => r.type),
            ["aws:lambda/function:Function", "aws:ecs/taskDefinition:TaskDefinition", "aws:ec2/instance:Instance"],
        );
    });

    it("prints every figure with its baseline and ratio, the notes, what was skipped and the run's conditions", () => {
        const results: Results = {
            meta: {
                date: "",
                node: "v24.0.0",
                platform: "linux-x64",
                cpus: 2,
                cpuModel: "cpu",
                quick: true,
                resources: 8,
                starts: 1,
                repeats: 1,
            },
            rows: [
                withRatio({
                    section: "pack",
                    id: "pack.x",
                    figure: "a figure",
                    value: 50,
                    unit: "ms",
                    baseline: { name: "base", value: 100 },
                    note: "a note",
                }),
            ],
            skipped: [{ section: "pack", id: "pack.y", reason: "not installed" }],
        };
        const table = formatTable(results);
        assert.match(table, /^figure\s+value\s+baseline\s+ratio\s+target/);
        assert.match(table, /a figure\s+50\.0 ms\s+base: 100 ms\s+0\.50× of base\s+—/);
        assert.match(table, /^ {2}pack\.x: a note$/m);
        assert.match(table, /^skipped pack\.y: not installed$/m);
        assert.match(table, /node v24\.0\.0 on linux-x64, 2× cpu; QUICK/);
    });
});

describe("bench: in-process sections", () => {
    it("scanning: every input shape at 1×, 2× and 4×, beside a single regex pass, with the run's conditions", async () => {
        const said: string[] = [];
        const options = { ...parseOptions(["--quick", "--only", "scan"], { ROOTGUARD_BENCH_N: "8" }) };
        const results = await runBench(options, (l) => said.push(l));
        assert.deepEqual([results.meta.quick, results.meta.resources, results.meta.node], [true, 8, process.version]);
        assert.deepEqual(results.rows.map((r) => r.id).sort(), ["scan.env-map", "scan.nest", "scan.template"]);
        for (const r of results.rows) {
            assert.ok(Number.isFinite(r.value) && r.value > 0 && r.baseline.value > 0, r.id);
            assert.equal(r.growth?.length, 3, r.id);
        }
        assert.deepEqual(results.skipped, []);
        assert.deepEqual(said, ["bench: credential scanning…"]);
    });
});

describe("bench: the awsguard comparison pack, installed on demand", () => {
    const tempRepo = () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "rootguard-bench-awsguard-"));
        fs.mkdirSync(awsguardDir(root), { recursive: true });
        return root;
    };
    /** What `npm ci` leaves behind, as far as the bench looks. */
    const install = async (dir: string) => {
        fs.mkdirSync(path.join(dir, "node_modules/@pulumi/awsguard"), { recursive: true });
        fs.writeFileSync(path.join(dir, "node_modules/@pulumi/awsguard/package.json"), "{}");
    };

    it("installs it into bench/awsguard-pack with npm ci when missing, and says so before and after", async () => {
        const root = tempRepo();
        const said: string[] = [];
        const dirs: string[] = [];
        const got = await ensureAwsguard(root, {
            install: true,
            say: (l) => said.push(l),
            installer: async (dir) => {
                dirs.push(dir);
                await install(dir);
            },
        });
        assert.deepEqual(got, { dir: awsguardDir(root) });
        assert.deepEqual(dirs, [awsguardDir(root)]);
        assert.equal(said.length, 2);
        assert.match(
            said[0],
            /installing the comparison pack @pulumi\/awsguard into bench\/awsguard-pack\/node_modules \(npm ci from bench\/awsguard-pack\/package-lock\.json/,
        );
        assert.match(said[1], /installed @pulumi\/awsguard/);
        // Installed once: the next run neither installs nor speaks.
        const again = await ensureAwsguard(root, {
            install: true,
            say: (l) => said.push(l),
            installer: async () => assert.fail("installed twice"),
        });
        assert.deepEqual(again, { dir: awsguardDir(root) });
        assert.equal(said.length, 2);
    });

    it("with --no-install, or when the install fails, gives the reason instead of a directory", async () => {
        const root = tempRepo();
        const said: string[] = [];
        const refused = await ensureAwsguard(root, {
            install: false,
            say: (l) => said.push(l),
            installer: async () => assert.fail("installed"),
        });
        assert.ok("reason" in refused && /not installed in bench\/awsguard-pack .*without --no-install/.test(refused.reason));
        assert.deepEqual(said, []);
        const failed = await ensureAwsguard(root, {
            install: true,
            say: () => undefined,
            installer: async () => {
                throw new Error("npm ci in x exited with code 1");
            },
        });
        assert.deepEqual(failed, { reason: "installing @pulumi/awsguard failed: npm ci in x exited with code 1" });
        const empty = await ensureAwsguard(root, { install: true, say: () => undefined, installer: async () => undefined });
        assert.ok("reason" in empty && /finished but @pulumi\/awsguard is not there/.test(empty.reason));
    });

    it("is pinned, with its own lockfile, to the policy and Pulumi SDKs rootguard runs on, and stays out of rootguard's install", () => {
        const read = (file: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), "utf8"));
        const root = read("package.json");
        const bench = read(`${AWSGUARD_FOLDER}/package.json`);
        const lock = read(`${AWSGUARD_FOLDER}/package-lock.json`);
        for (const dep of ["@pulumi/policy", "@pulumi/pulumi"]) {
            assert.equal(bench.dependencies[dep], root.dependencies[dep], dep);
            assert.equal(lock.packages[`node_modules/${dep}`].version, root.dependencies[dep], `${dep} in the lockfile`);
        }
        assert.deepEqual(lock.packages[""].dependencies, bench.dependencies, "the lockfile is the package.json's");
        const rootLock = read("package-lock.json");
        for (const heavy of ["node_modules/@pulumi/awsguard", "node_modules/aws-sdk"])
            assert.equal(rootLock.packages[heavy], undefined, heavy);
    });
});
