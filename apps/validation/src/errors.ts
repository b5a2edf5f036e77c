import { packageErrors } from '@mbs/core';

/** The validation scripts' errors: messages prefixed `[@mbs/validation]` by the one rule in @mbs/core. */
export const errors = packageErrors('@mbs/validation');
