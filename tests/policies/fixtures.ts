/** Credential-shaped test values. None is a real credential. */

/** New-generation key IDs whose account decodes offline (FIELD-NOTES checks). */
export const KEY_ID = "AKIASP2TPHJSQH3FJRUX";
export const KEY_ID_ACCOUNT = "171436882533";
export const TEMP_KEY_ID = "ASIAY34FZKBOKMUTVV7A";
export const TEMP_KEY_ID_ACCOUNT = "609629065308";
export const SECRET = "q8Zr3Vx7Lm2Np9Tb4Wc6Yd1Fg5Hj0Kk8Ms3Qv7Rt";
export const EXAMPLE_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
export const EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
