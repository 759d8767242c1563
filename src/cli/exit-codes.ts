/** The exit codes every command keeps to, and how `--help` lists them. */
export const EXIT = {
    /** Done; nothing blocks. */
    OK: 0,
    /** A finding that blocks: a mandatory policy violation, NON_COMPLIANT with --fail-on-noncompliant, a failed doctor check. */
    FINDING: 1,
    /** An error: usage, input, program, policy pack, network or AWS. One line on stderr. */
    ERROR: 2,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  done, nothing blocks
  1  a blocking finding: a mandatory policy violation (preview, analyze), a
     NON_COMPLIANT evaluation with --fail-on-noncompliant (compliance), or a
     failed check (doctor)
  2  an error (usage, input, program, policy pack, network, AWS), one line on
     stderr; for doctor also a check it could not judge`;
