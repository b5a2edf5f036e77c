import type { ReportInputs } from './documents.js';
import { escapeHtml, figureHtml, htmlTable } from './html.js';
import { PAGE_STYLE } from './page-style.js';
import type { ReportSection } from './section.js';
import { batchSizeSection } from './sections/batch-sizes.js';
import { configurationSection } from './sections/configuration.js';
import { frontierSection } from './sections/frontier.js';
import { latencyCdfSection } from './sections/latency-cdf.js';
import { predictionSection } from './sections/prediction.js';
import { profileSection } from './sections/profile.js';

/**
 * Every section of the report with its figures' data, in page order. Sections that lack their
 * inputs are kept, empty, with what they lack in `missing`.
 *
 * @example
 * ```ts
 * const sections = reportSections({ solve: { source: 'solve.json', document } });
 * sections.flatMap((section) => section.figures).map((figure) => figure.id);
 * ```
 */
export function reportSections(inputs: ReportInputs): ReportSection[] {
  return [
    configurationSection(inputs),
    latencyCdfSection(inputs),
    frontierSection(inputs),
    batchSizeSection(inputs),
    predictionSection(inputs),
    profileSection(inputs),
  ];
}

function inputsList(inputs: ReportInputs): string {
  const items = [
    inputs.solve
      ? `solve result: ${inputs.solve.source}${inputs.solve.document.workload ? ` (workload ${inputs.solve.document.workload})` : ''}`
      : undefined,
    inputs.replay
      ? `replay: ${inputs.replay.source} (${inputs.replay.requests?.length ?? 0} requests, ${inputs.replay.batches?.length ?? 0} batches)`
      : undefined,
    inputs.run
      ? `run: ${inputs.run.source} (${inputs.run.requests?.length ?? 0} requests, ${inputs.run.batches?.length ?? 0} batches, ${inputs.run.invocations?.length ?? 'no'} invocation records)`
      : undefined,
    inputs.profile ? `profile: ${inputs.profile.source}` : undefined,
  ].filter((item): item is string => item !== undefined);
  return items.length === 0
    ? '<p>No inputs were given.</p>'
    : `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
}

function sectionHtml(section: ReportSection): string {
  const body = [
    ...section.paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`),
    ...section.tables.map(
      (entry) => `<div class="table">${htmlTable(entry.table, entry.caption)}</div>`,
    ),
    section.figures.length > 0
      ? `<div class="figures">${section.figures.map(figureHtml).join('\n')}</div>`
      : '',
    section.missing.length > 0
      ? `<div class="missing"><strong>Not shown:</strong><ul>${section.missing.map((text) => `<li>${escapeHtml(text)}</li>`).join('')}</ul></div>`
      : '',
  ];
  return `<section id="${section.id}"><h2>${escapeHtml(section.title)}</h2>\n${body.join('\n')}</section>`;
}

/**
 * The report as one self-contained HTML page: inline styles and inline SVG charts (ECharts'
 * server-side renderer), no scripts, nothing fetched at view time; printable. Each chart has a
 * title, named axes with units, a legend, and its numbers in a `<details>` table. Pass the
 * sections when they were already built with {@link reportSections}.
 *
 * @example
 * ```ts
 * import { buildReport, parseSolveDocument } from '@mbs/report';
 * const { document } = parseSolveDocument(JSON.parse(text), 'solve.json');
 * const html = buildReport({ solve: { source: 'solve.json', document } });
 * ```
 */
export function buildReport(
  inputs: ReportInputs,
  sections: readonly ReportSection[] = reportSections(inputs),
): string {
  const title = inputs.title ?? 'MBS report';
  const problems = inputs.problems ?? [];
  const shown = sections.filter(
    (section) =>
      section.figures.length > 0 || section.tables.length > 0 || section.paragraphs.length > 0,
  );
  const empty = sections.filter((section) => !shown.includes(section));
  const nav = shown
    .map((section) => `<a href="#${section.id}">${escapeHtml(section.title)}</a>`)
    .join(' · ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="@mbs/report">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
${inputs.generatedAt ? `<p class="generated">Generated ${escapeHtml(inputs.generatedAt)}</p>` : ''}
<h2 class="inputs">Inputs</h2>
${inputsList(inputs)}
${problems.length > 0 ? `<div class="problems" role="alert"><strong>Problems with the inputs:</strong><ul>${problems.map((text) => `<li>${escapeHtml(text)}</li>`).join('')}</ul></div>` : ''}
${nav ? `<nav>${nav}</nav>` : ''}
</header>
<main>
${shown.map(sectionHtml).join('\n')}
${empty.length > 0 ? `<section id="not-shown"><h2>Not shown</h2><ul>${empty.flatMap((section) => section.missing.map((text) => `<li><strong>${escapeHtml(section.title)}:</strong> ${escapeHtml(text)}</li>`)).join('')}</ul></section>` : ''}
</main>
</body>
</html>
`;
}
