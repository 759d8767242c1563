#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { quietOnClosedPipes } from "./closed-pipes";
import { errorLine, UserError } from "./errors";
import { EXIT, EXIT_CODES_HELP } from "./exit-codes";
import { registerPreviewCommands } from "./preview/command";
import { registerComplianceCommand } from "./compliance/command";
import { registerDoctorCommand } from "./doctor/command";
import { rootguardVersion } from "../core/package-root";
import { quietSdkNodeVersionWarning } from "../core/sdk-warnings";

async function main(argv: string[]): Promise<number> {
    quietSdkNodeVersionWarning();
    quietOnClosedPipes();
    const program = new Command("rootguard")
        .description("Keep AWS root credentials out of use: offline policy preview and root-key compliance.")
        .version(rootguardVersion(), "-v, --version", "print rootguard's version")
        .helpOption("-h, --help", "print this help")
        .exitOverride()
        .configureOutput({
            writeErr: (s) => process.stderr.write(s),
            // Commander's own messages ("error: unknown option '--x'") read like every other rootguard error.
            outputError: (s, write) => write(`rootguard: ${s.replace(/^error: /, "")}`),
        });
    registerPreviewCommands(program);
    registerComplianceCommand(program);
    registerDoctorCommand(program);
    for (const command of [program, ...program.commands]) command.addHelpText("after", EXIT_CODES_HELP);
    try {
        await program.parseAsync(argv);
        return typeof process.exitCode === "number" ? process.exitCode : EXIT.OK;
    } catch (err) {
        if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.OK : EXIT.ERROR;
        process.stderr.write(errorLine(err));
        return err instanceof UserError ? err.exitCode : EXIT.ERROR;
    }
}

main(process.argv).then(
    (code) => {
        process.exitCode = code;
    },
    (err) => {
        process.stderr.write(errorLine(err));
        process.exitCode = EXIT.ERROR;
    },
);
