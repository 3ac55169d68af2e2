/** `claim(statement, holds, evidence)`: a notebook's text checked against its own outputs. */
export { claim, ClaimError, CheckedClaim, Evidence } from "./claim";
