import { describe, expect, it } from 'vitest';
import { sampleSolveDocument } from '../testing/sample-documents.js';
import { configurationSection } from './configuration.js';

describe('configurationSection', () => {
  const document = sampleSolveDocument();
  const configuration = document.configuration!;

  it('puts each buffer on the size axis from its first class to its last', () => {
    const section = configurationSection({ solve: { source: 's', document } });
    const figure = section.figures[0]!;
    expect(figure.x.scale).toBe('log');
    expect(figure.series.map((series) => series.points)).toEqual([
      [
        [1, 0],
        [100, 0],
      ],
      [
        [100, 1],
        [1000, 1],
      ],
    ]);
    expect(section.paragraphs.join(' ')).toContain('buffer 1, classes 2: B=2, T=100 ms, M=2048 MB');
  });

  it('adds a timeline when there are several windows', () => {
    const second = { ...configuration.windows[0]!, startSeconds: 600, endSeconds: 1200 };
    const section = configurationSection({
      solve: {
        source: 's',
        document: {
          ...document,
          configuration: { ...configuration, windows: [configuration.windows[0]!, second] },
        },
      },
    });
    const timeline = section.figures.find((figure) => figure.id === 'ranges-timeline')!;
    expect(timeline.series[0]!.points).toEqual([
      [0, 100],
      [600, 100],
      [600, 100],
      [1200, 100],
    ]);
    expect(timeline.table.rows).toHaveLength(4);
  });
});
