/** A window of a trace: its time span and its arrivals, indexes [from, to) into the trace's arrays. */
export interface WindowSpan {
  startSeconds: number;
  endSeconds: number;
  from: number;
  to: number;
}

/**
 * Splits time-ordered arrivals into windows [k w, (k+1) w); a window with fewer than `minimum`
 * arrivals (empty ones included) merges into the next, and a short last one into the previous.
 * The last window ends at the last arrival when that is earlier than its nominal end.
 */
export function splitWindows(
  times: ArrayLike<number>,
  windowSeconds: number,
  minimum: number,
): WindowSpan[] {
  const spans: WindowSpan[] = [];
  const count = times.length;
  if (count === 0) return spans;
  let pendingStart = 0;
  let pendingFrom = 0;
  let currentWindow = Math.floor(times[0]! / windowSeconds);
  const close = (to: number, endSeconds: number) => {
    if (to - pendingFrom >= minimum) {
      spans.push({ startSeconds: pendingStart, endSeconds, from: pendingFrom, to });
      pendingFrom = to;
      pendingStart = endSeconds;
    }
  };
  for (let index = 1; index < count; index++) {
    const window = Math.floor(times[index]! / windowSeconds);
    if (window > currentWindow) {
      close(index, (currentWindow + 1) * windowSeconds);
      currentWindow = window;
    }
  }
  const last = times[count - 1]!;
  const end = Math.min((currentWindow + 1) * windowSeconds, last);
  if (count - pendingFrom >= minimum || spans.length === 0) {
    spans.push({ startSeconds: pendingStart, endSeconds: end, from: pendingFrom, to: count });
  } else {
    const previous = spans[spans.length - 1]!;
    previous.to = count;
    previous.endSeconds = end;
  }
  return spans;
}
