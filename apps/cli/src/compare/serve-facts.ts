import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SERVE_DOCUMENT_FILE, type ServeDocument } from '../serve/serve-document.js';

/**
 * The serve document of a records directory (`mbs serve --records DIR`), or undefined when there
 * is none or it is not one (the summary then goes on from the records alone).
 */
export async function readServeDocument(directory: string): Promise<ServeDocument | undefined> {
  try {
    const document = JSON.parse(
      await readFile(join(directory, SERVE_DOCUMENT_FILE), 'utf8'),
    ) as ServeDocument;
    return document?.schema === 'mbs.serve' ? document : undefined;
  } catch {
    return undefined;
  }
}
