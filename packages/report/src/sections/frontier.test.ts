import { describe, expect, it } from 'vitest';
import { sampleSolveDocument } from '../testing/sample-documents.js';
import { frontierSection } from './frontier.js';

describe('frontierSection', () => {
  it('draws ours and the baselines, and says a sweep is missing', () => {
    const section = frontierSection({
      solve: { source: 'solve.json', document: sampleSolveDocument() },
    });
    const figure = section.figures[0]!;
    expect(figure.series.map((series) => series.name)).toEqual([
      'ours, chosen (frontier)',
      'no batching',
    ]);
    expect(figure.series[0]!.points).toEqual([[1.1, 2]]);
    expect(figure.lines).toEqual([expect.objectContaining({ id: 'slo', value: 1.2 })]);
    expect(section.missing.join(' ')).toContain('No cost-vs-SLO sweep');
  });

  it('draws the frontier when the solve result carries a sweep', () => {
    const document = sampleSolveDocument();
    const window = {
      ...document.windows[0]!,
      frontier: [
        { sloSeconds: 1, costPerRequestUsd: 3e-6 },
        { sloSeconds: 2, costPerRequestUsd: 1e-6, latencyPercentile: 1.9 },
      ],
    };
    const section = frontierSection({
      solve: { source: 's', document: { ...document, windows: [window] } },
    });
    const frontier = section.figures[0]!.series[0]!;
    expect(frontier.kind).toBe('line');
    expect(frontier.points).toEqual([
      [1, 3],
      [1.9, 1],
    ]);
    expect(section.missing).toEqual([]);
  });
});
