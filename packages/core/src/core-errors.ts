import { packageErrors } from './package-errors.js';

/** @mbs/core's own errors: messages prefixed `[@mbs/core]` by the one rule in package-errors. */
export const errors = packageErrors('@mbs/core');
