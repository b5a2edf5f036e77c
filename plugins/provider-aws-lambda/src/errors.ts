import { packageErrors } from '@mbs/core';

/** This package's errors: messages prefixed `[@mbs/provider-aws-lambda]` by the one rule in @mbs/core. */
export const errors = packageErrors('@mbs/provider-aws-lambda');
