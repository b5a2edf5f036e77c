import { packageErrors } from '@mbs/core';

/** This package's errors: messages prefixed `[@mbs/server]` by the one rule in @mbs/core. */
export const errors = packageErrors('@mbs/server');
