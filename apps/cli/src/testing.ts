// The command tests import their io from here, one place for the whole CLI; the helper itself
// lives in @mbs/test-utils so the root cross-package tests share the same one.
export { type CapturedIo, captureIo } from '@mbs/test-utils';
