/** Catches context keys meant for this stack that it would silently ignore (typos, a forgotten prefix). */

/** Context keys that look meant for this stack but are not read by it, each with the nearest valid key. */
export function unknownContextKeys(presentKeys: readonly string[], known: readonly string[]): string[] {
  const problems: string[] = [];
  const bare = new Map(known.map((k) => [k.slice('hunt:'.length).toLowerCase(), k]));
  for (const key of presentKeys) {
    if (known.includes(key)) continue;
    // `-c notificationEmails=...` (prefix forgotten) is as silent a mistake as a misspelt key.
    const unprefixed = bare.get(key.toLowerCase());
    if (!key.toLowerCase().startsWith('hunt:') && unprefixed === undefined) continue;
    problems.push(`${key.slice(0, 80)} is not a context key of this stack (did you mean ${unprefixed ?? nearestKey(key, known)}?)`);
  }
  return problems;
}

function nearestKey(key: string, known: readonly string[]): string {
  let best = known[0] ?? '';
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** Levenshtein distance (insertions, deletions, substitutions), two rows at a time. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] as number;
}
