/**
 * The AWS calls the remediator's code makes, read from its source: every `new <X>Command(` in src/remediator
 * (and below), mapped to its IAM action through the AWS SDK itself (the client package's `defaultSigningName`
 * is the IAM service prefix; the operation name is the action name). Nothing here is a hand-written list of
 * actions: a new SDK call in the code appears here, and the simulation must then find it allowed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DELETE_TASK_ACTIONS } from "../../../src/core/aws-facts";
import { REPO_ROOT } from "./program";

export interface SdkCall {
    command: string;
    /** `iam:GetAccountSummary` */
    action: string;
    /** Source files that send it. */
    files: string[];
    /**
     * Sent with AssumeRoot session credentials in a member account: the root task policy authorizes it, not the
     * Lambda role. These are the IAM calls on the root user's own credentials, which only a root session can make.
     */
    viaRootSession: boolean;
}

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return sourceFiles(p);
        return e.name.endsWith(".ts") ? [p] : [];
    });
}

const signingNames = new Map<string, string>();

/** The IAM service prefix of an AWS SDK v3 client package, from the package's own code. */
export function signingName(pkg: string): string {
    let name = signingNames.get(pkg);
    if (name === undefined) {
        const text = fs.readFileSync(require.resolve(pkg, { paths: [REPO_ROOT] }), "utf8");
        const m = /defaultSigningName:\s*"([a-z0-9-]+)"/.exec(text);
        if (!m) throw new Error(`${pkg}: no defaultSigningName in its code`);
        name = m[1];
        signingNames.set(pkg, name);
    }
    return name;
}

/**
 * Operations authorized by another operation's action. Amazon SQS API permissions reference ("Amazon SQS API
 * permissions: Actions and resource reference", SQS developer guide): the batch operations need the
 * single-message action; the Service Authorization Reference lists no separate action for them.
 */
const AUTHORIZED_AS: Record<string, string> = {
    "sqs:SendMessageBatch": "sqs:SendMessage",
    "sqs:DeleteMessageBatch": "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility",
};

const ROOT_SESSION_ACTIONS = new Set(DELETE_TASK_ACTIONS.map((a) => a.toLowerCase()));

export function remediatorSdkCalls(dir = path.join(REPO_ROOT, "src/remediator")): SdkCall[] {
    const calls = new Map<string, SdkCall>();
    for (const file of sourceFiles(dir)) {
        const text = fs.readFileSync(file, "utf8");
        const imported = new Map<string, string>();
        for (const m of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*"(@aws-sdk\/client-[a-z0-9-]+)"/g)) {
            for (const raw of m[1].split(",")) {
                const name = raw
                    .replace(/^\s*type\s+/, "")
                    .split(/\s+as\s+/)[0]
                    .trim();
                if (name) imported.set(name, m[2]);
            }
        }
        for (const m of text.matchAll(/new\s+([A-Z][A-Za-z0-9]*Command)\s*\(/g)) {
            const pkg = imported.get(m[1]);
            if (pkg === undefined) throw new Error(`${path.relative(REPO_ROOT, file)}: ${m[1]} is not imported from an @aws-sdk client`);
            const operation = `${signingName(pkg)}:${m[1].replace(/Command$/, "")}`;
            const action = AUTHORIZED_AS[operation] ?? operation;
            const call = calls.get(action) ?? {
                command: m[1],
                action,
                files: [],
                viaRootSession: action.startsWith("iam:") && ROOT_SESSION_ACTIONS.has(action.toLowerCase()),
            };
            call.files.push(path.relative(REPO_ROOT, file));
            calls.set(action, call);
        }
    }
    return [...calls.values()];
}
