import { packageErrors } from '@mbs/core';

/** This package's errors: messages prefixed `[@mbs/trace-formats]` by the one rule in @mbs/core. */
export const errors = packageErrors('@mbs/trace-formats');
