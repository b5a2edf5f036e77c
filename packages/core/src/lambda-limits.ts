/**
 * Largest synchronous Invoke request payload Lambda accepts, in bytes (6 MB): a batch event, all
 * of its requests' inputs included, must fit in it.
 */
export const LAMBDA_REQUEST_PAYLOAD_LIMIT_BYTES = 6_291_456;
