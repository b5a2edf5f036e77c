import { type EmulatorServer, startEmulatorServer } from '@mbs/lambda-emulator';
import { strToU8, zipSync } from 'fflate';

/** Fake static credentials: the emulator does not check signatures. */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIDTEST',
  secretAccessKey: 'test-secret',
} as const;
/** Any role ARN; the emulator records it. */
export const TEST_ROLE_ARN = 'arn:aws:iam::123456789012:role/mbs-test';

/** A deployment zip holding index.js with the given source. */
export function zipOf(source: string): Uint8Array {
  return zipSync({ 'index.js': strToU8(source) });
}

/** Answers each request with its input, as the MBS handler contract says. */
export const ECHO_SOURCE = `exports.handler = async (event) => ({
  results: event.requests.map((request) => ({ id: request.id, ok: true, output: request.input })),
  timings: { totalMs: 0 },
});
`;

/** Always throws, to exercise function errors. */
export const FAILING_SOURCE = `exports.handler = async () => {
  throw new TypeError('the model is not loaded');
};
`;

/** An emulator server on a free port for one test file. */
export async function startTestEmulator(): Promise<EmulatorServer> {
  return startEmulatorServer({ port: 0 });
}
