/**
 * One Node.js story: the floor package.json states is one every installed package accepts, the types hold the
 * code to that floor, and the development default (.nvmrc) is the Node of the Lambda runtime the remediator
 * is deployed on.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as semver from "semver";
import { REMEDIATOR_RUNTIME } from "../../stacks/components/remediator";

const REPO_ROOT = path.resolve(__dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
const manifest = JSON.parse(read("package.json"));
const floor = semver.minVersion(manifest.engines.node);

describe("Node.js versions", () => {
    it("package.json states a floor of Node 22 or later", () => {
        assert.ok(floor, manifest.engines.node);
        assert.ok(floor.major >= 22, `engines.node ${manifest.engines.node}`);
    });

    it("every package in the lockfile, dev tools included, runs on that floor (no EBADENGINE on install)", () => {
        const lock = JSON.parse(read("package-lock.json"));
        const refusing = Object.entries<{ engines?: { node?: string } }>(lock.packages)
            .filter(([where, p]) => where !== "" && typeof p.engines?.node === "string")
            .filter(([, p]) => !semver.satisfies(floor!, p.engines!.node!))
            .map(([where, p]) => `${where.replace(/^.*node_modules\//, "")} needs node ${p.engines!.node}`);
        assert.deepEqual(refusing, [], `raise engines.node above ${floor} or pin older packages`);
    });

    it("@types/node is of the floor's major, so the code uses no API newer than the oldest Node it runs on", () => {
        const types = manifest.devDependencies["@types/node"];
        assert.equal(semver.major(types), floor!.major, `@types/node ${types}`);
    });

    it(".nvmrc names the Node of the Lambda runtime the remediator is deployed on, inside the stated range", () => {
        const nvmrc = read(".nvmrc").trim();
        const runtime = /^nodejs(\d+)\.x$/.exec(REMEDIATOR_RUNTIME);
        assert.ok(runtime, REMEDIATOR_RUNTIME);
        assert.equal(nvmrc, runtime[1]);
        assert.ok(semver.satisfies(`${nvmrc}.0.0`, manifest.engines.node));
    });
});
