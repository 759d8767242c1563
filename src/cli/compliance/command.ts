import { Command } from "commander";

/** Registers `rootguard compliance` (issue 6). */
export function registerComplianceCommand(program: Command): void {
    program.command("compliance").description("Root access key compliance from AWS Config (work in progress).");
}
