import fc from 'fast-check';

// Property tests run from a fixed seed so that a submission's CI cannot fail by the luck of the
// draw; `FC_SEED=random npm test` explores fresh seeds, `FC_SEED=<n>` replays a reported one.
const requested = process.env.FC_SEED;
if (requested !== 'random')
  fc.configureGlobal({ seed: requested ? Number(requested) : 20_261_129 });
