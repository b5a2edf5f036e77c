import { packageErrors } from '@mbs/core';

/** This package's errors: messages prefixed `[@mbs/test-utils]` by the one rule in @mbs/core. */
export const errors = packageErrors('@mbs/test-utils');
