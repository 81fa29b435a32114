/** Character codes the plain YAML reader (plain-yaml.ts) and its block scalars (plain-block-scalar.ts) look for. */
export const NL = 10;
export const SP = 32;
export const DQ = 34;
export const HASH = 35;
export const SQ = 39;
export const COMMA = 44;
export const DASH = 45;
export const COLON = 58;
/** `>`: a folded block scalar. */
export const GT = 62;
export const LB = 91;
export const BS = 92;
export const RB = 93;
export const LC = 123;
/** `|`: a literal block scalar. */
export const PIPE = 124;
export const RC = 125;
