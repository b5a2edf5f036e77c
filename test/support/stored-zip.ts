// The zip writer lives in @mbs/test-utils, shared with the package tests.
export { storedZip } from '@mbs/test-utils';
