/** A secret scanner's AWS rules, ported to run on the same text as rootguard's scanner. */
export interface PortedScanner {
    name: string;
    /** The file the rules were ported from, with its commit and licence. */
    source: { repo: string; path: string; commit: string; licence: string };
    /** Which of the scanner's rules are ported, and what was left out and why. */
    rules: string;
    /** True when the scanner would report anything in `text`. */
    flags(text: string): boolean;
}

/** Shannon entropy in bits per character (gitleaks detect/utils.go shannonEntropy). */
export function shannonEntropy(data: string): number {
    if (data === "") return 0;
    const counts = new Map<string, number>();
    for (const ch of data) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    let entropy = 0;
    for (const n of counts.values()) {
        const f = n / data.length;
        entropy -= f * Math.log2(f);
    }
    return entropy;
}
