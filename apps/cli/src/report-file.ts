import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ReportInputs, ReportSection } from '@mbs/report';
import { errors } from './errors.js';

/**
 * Builds the HTML report of `inputs` (`@mbs/report`, loaded here so commands that do not write
 * one never load ECharts) and writes it to `out`, creating its folder.
 *
 * @param option the option that named `out`, for the error message
 * @returns the report's sections and its size in bytes
 */
export async function writeReportFile(
  out: string,
  inputs: ReportInputs,
  option = '--out',
): Promise<{ sections: ReportSection[]; bytes: number }> {
  const { buildReport, reportSections } = await import('@mbs/report');
  const sections = reportSections(inputs);
  const html = buildReport(inputs, sections);
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, html, 'utf8');
  } catch (error) {
    throw errors.error(
      'IO',
      `${option} ${out}: cannot write the report (${(error as Error).message})`,
      { cause: error, details: { option } },
    );
  }
  return { sections, bytes: Buffer.byteLength(html) };
}
