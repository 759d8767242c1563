#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { redactCredentials } from "../core/access-keys";
import { UserError } from "./errors";
import { registerPreviewCommands } from "./preview/command";
import { registerComplianceCommand } from "./compliance/command";
import { registerDoctorCommand } from "./doctor/command";
import { rootguardVersion } from "../core/package-root";
import { quietSdkNodeVersionWarning } from "../core/sdk-warnings";

async function main(argv: string[]): Promise<number> {
    quietSdkNodeVersionWarning();
    const program = new Command("rootguard")
        .description("Keep AWS root credentials out of use: offline policy preview and root-key compliance.")
        .version(rootguardVersion())
        .exitOverride()
        .configureOutput({ writeErr: (s) => process.stderr.write(s) });
    registerPreviewCommands(program);
    registerComplianceCommand(program);
    registerDoctorCommand(program);
    try {
        await program.parseAsync(argv);
        return typeof process.exitCode === "number" ? process.exitCode : 0;
    } catch (err) {
        if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
        const message = err instanceof Error ? err.message : String(err);
        process.stderr.write(`rootguard: ${redactCredentials(message.split("\n")[0])}\n`);
        return err instanceof UserError ? err.exitCode : 2;
    }
}

main(process.argv).then(
    (code) => {
        process.exitCode = code;
    },
    (err) => {
        process.stderr.write(`rootguard: ${redactCredentials(String(err))}\n`);
        process.exitCode = 2;
    },
);
