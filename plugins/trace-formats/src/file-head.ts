import { open } from 'node:fs/promises';

/**
 * The first lines of a file (at most `bytes` of it), for recognising a format; undefined when the
 * path is not a readable regular file. The last, possibly cut, line is dropped unless the file
 * ended within the bytes read.
 */
export async function readFileHead(path: string, bytes = 65536): Promise<string[] | undefined> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const stats = await handle.stat();
    if (!stats.isFile()) return undefined;
    const buffer = Buffer.alloc(Math.min(bytes, stats.size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    let text = buffer.subarray(0, bytesRead).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
    if (bytesRead < stats.size) lines.pop();
    return lines;
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

/** The lines of a file head that carry data: not blank and not `#` comments. */
export function contentLines(lines: readonly string[]): string[] {
  return lines.filter((line) => line.trim().length > 0 && !line.trimStart().startsWith('#'));
}
