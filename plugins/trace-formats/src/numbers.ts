/**
 * A decimal number written in full (`12`, `-0.5`, `3e-2`, `.25`), or NaN for anything else,
 * including the empty string, `Infinity`, hex and stray characters that `Number()` would accept
 * or silently turn into 0. Surrounding spaces are ignored. `from`/`to` read a field of a line
 * without slicing it out.
 */
export function parseDecimal(text: string, from = 0, to = text.length): number {
  let start = from;
  let end = to;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  // Fast path for plain integers (most sizes): exact while under 2^53, so 15 digits are safe.
  if (end > start && end - start <= 15) {
    let value = 0;
    let index = start;
    while (index < end) {
      const code = text.charCodeAt(index);
      if (code < 48 || code > 57) break;
      value = value * 10 + (code - 48);
      index++;
    }
    if (index === end) return value;
  }
  let index = start;
  // Past `end`, -1 stands for "no character", so the scans below stop at the field's end.
  const at = (position: number) => (position < end ? text.charCodeAt(position) : -1);
  let code = at(index);
  if (code === 43 || code === 45) code = at(++index);
  let digits = 0;
  while (code >= 48 && code <= 57) {
    digits++;
    code = at(++index);
  }
  if (code === 46) {
    code = at(++index);
    while (code >= 48 && code <= 57) {
      digits++;
      code = at(++index);
    }
  }
  if (digits === 0) return Number.NaN;
  if (code === 101 || code === 69) {
    code = at(++index);
    if (code === 43 || code === 45) code = at(++index);
    let exponentDigits = 0;
    while (code >= 48 && code <= 57) {
      exponentDigits++;
      code = at(++index);
    }
    if (exponentDigits === 0) return Number.NaN;
  }
  if (index !== end) return Number.NaN;
  const value = Number(start === 0 && end === text.length ? text : text.slice(start, end));
  return Number.isFinite(value) ? value : Number.NaN;
}

/** Space, tab or carriage return. */
function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13;
}
