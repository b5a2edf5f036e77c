/** Exit codes of `mbs`. */
export const EXIT_OK = 0;
/** A runtime error: bad input data, a failed call, an SLO that cannot be met. */
export const EXIT_RUNTIME_ERROR = 1;
/** Bad usage: an unknown command or option, or an option value out of range. */
export const EXIT_USAGE = 2;
