/**
 * The values of every `--plugin X` and `--plugin=X` in a command line, before `--`. They are read
 * before yargs parses the line, because the plugins they load decide which names `--format`,
 * `--pricing`, `--profile` and `--provider` accept.
 *
 * @example
 * ```ts
 * pluginArguments(['solve', '--plugin', './a.mjs', '--plugin=b']); // ['./a.mjs', 'b']
 * ```
 */
export function pluginArguments(args: readonly string[]): string[] {
  const values: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const argument = args[index]!;
    if (argument === '--') break;
    if (argument.startsWith('--plugin=')) values.push(argument.slice('--plugin='.length));
    // A trailing --plugin gives '' so that it is refused as empty rather than ignored.
    else if (argument === '--plugin') values.push(args[++index] ?? '');
  }
  return values;
}
