// Module resolution hooks that append every resolved module URL to the file named by
// MBS_MODULE_RECORD, one per line: what a process imported, whoever imported it.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(process.env.MBS_MODULE_RECORD, `${resolved.url}\n`);
  return resolved;
}
