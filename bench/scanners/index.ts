/** The compared scanners, in the order the bench prints them. */
import { detectSecrets } from "./detect-secrets";
import { gitSecrets } from "./git-secrets";
import { gitleaks } from "./gitleaks";
import { noseyParker } from "./noseyparker";
import type { PortedScanner } from "./types";

export type { PortedScanner } from "./types";
export const PORTED_SCANNERS: readonly PortedScanner[] = [gitleaks, detectSecrets, gitSecrets, noseyParker];
