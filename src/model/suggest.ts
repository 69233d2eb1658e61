/** Edit distance, for "did you mean" hints in validation messages. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** Names in the model are short; a longer input gets no suggestion (edit distance is quadratic in its length). */
const MAX_SUGGESTED_INPUT = 64;

/** The closest candidate within a small distance, or null. */
export function closest(input: string, candidates: Iterable<string>): string | null {
  if (input.length > MAX_SUGGESTED_INPUT) return null;
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.ceil(input.length / 2)) + 1;
  for (const candidate of candidates) {
    const d = distance(input, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

export function didYouMean(input: string, candidates: Iterable<string>): string {
  const hint = closest(input, candidates);
  return hint ? `; did you mean '${hint}'?` : '';
}
