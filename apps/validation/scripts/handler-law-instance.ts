// A process that serves batches of the default model one at a time, as a function instance does:
// it is woken by a message carrying the event, times the handler on its own stopwatch (the event
// parsed, the batch run, the answer serialized, as the emulator's instance times an invocation),
// and answers with the time. No CPU scaling and no host-wait accounting: the independent
// reference that profile-acceptance.ts compares the profile's table with. Forked by that script
// (`node --import tsx`); not run on its own.
import { buildDefaultModel, createBatchHandler, DEFAULT_MODEL_DESCRIPTOR } from '@mbs/handler';

/** What the parent sends: an event as JSON text, or the word to stop. */
export type InstanceMessage = { readonly event: string } | { readonly stop: true };
/** What this process answers: the handler's time for the event, ms. */
export interface InstanceAnswer {
  readonly ms: number;
}

if (process.send === undefined) {
  console.error('handler-law-instance.ts is forked by profile-acceptance.ts, not run on its own');
  process.exit(2);
}
const send = process.send.bind(process);
const handler = createBatchHandler({
  model: buildDefaultModel(),
  descriptor: DEFAULT_MODEL_DESCRIPTOR,
  // On the threads the emulator's instances use (MBS_EMULATOR_CORES: one core, scaled).
  sessionOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 },
});
await handler.ready();
process.on('message', async (message: InstanceMessage) => {
  if ('stop' in message) {
    await handler.dispose();
    process.exit(0);
  }
  const started = performance.now();
  JSON.stringify(await handler.handle(JSON.parse(message.event)));
  send({ ms: performance.now() - started } satisfies InstanceAnswer);
});
send({ ready: true });
