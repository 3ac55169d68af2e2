/**
 * `dl-workbook`: the course library's root. The float64 {@link NDArray} with its seeded
 * {@link rng} and {@link linspace}, and the display helpers notebooks use. Topic areas live in
 * subpaths: `dl-workbook/optim`, `/rnn`, `/gradcheck`, `/plot`, `/cnn`, `/data`, ...
 */
// Importing the library selects the fastest tfjs backend available (see dl-workbook/backend).
import "./backend";
export * from "./ndarray";
export { display, createDisplayHandle, DisplayHandle, interruptRequested, JUPYTER_DISPLAY, MimeBundle, Displayable, isDisplayable, plainText } from "./display";
export { claim, ClaimError, CheckedClaim, Evidence } from "./claims";
