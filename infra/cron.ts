/**
 * EventBridge cron expressions, field by field: `cron(minutes hours day-of-month month day-of-week year)`.
 * Values, wildcards and ranges as the EventBridge user guide lists them:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html#eb-cron-expressions
 */

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names accepted for values (JAN…DEC, SUN…SAT), 1-based. */
  readonly names?: readonly string[];
  /** Special forms of this field besides `, - * /` (e.g. `?`, `L`, `W`, `#`). */
  readonly special?: RegExp;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export const CRON_FIELDS: readonly Field[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  // ? (no value), L (last day), W (nearest weekday: 15W, LW).
  { name: 'day-of-month', min: 1, max: 31, special: /^(\?|L|LW|([1-9]|[12]\d|3[01])W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  // ? (no value), L (last: 6L = last Friday), # (nth: 3#2 = second Tuesday).
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, special: /^(\?|L|[1-7]L|[1-7]#[1-5])$/ },
  { name: 'year', min: 1970, max: 2199 },
];

function value(text: string, f: Field): number | null {
  const i = f.names?.indexOf(text.toUpperCase()) ?? -1;
  if (i >= 0) return i + 1;
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= f.min && n <= f.max ? n : null;
}

/** Why `text` is not a valid value of field `f`, or null. */
function fieldProblem(text: string, f: Field): string | null {
  const allowed = `${f.min}-${f.max}${f.names ? ` or ${f.names[0]}-${f.names[f.names.length - 1]}` : ''}`;
  for (const part of text.split(',')) {
    if (f.special?.test(part.toUpperCase())) {
      if (text.includes(',')) return `the ${f.name} field "${text}" mixes a list with "${part}"`;
      continue;
    }
    const [base = '', step, extra] = part.split('/');
    if (extra !== undefined || (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1 && Number(step) <= f.max))) {
      return `the ${f.name} field "${text}" has a bad step in "${part}" (a whole number from 1 to ${f.max} after /)`;
    }
    if (base === '*') continue;
    const [a = '', b, more] = base.split('-');
    if (more !== undefined || value(a, f) === null || (b !== undefined && value(b, f) === null)) {
      return `the ${f.name} field "${text}" is out of range in "${part}" (values ${allowed}, with , - * /${f.special ? ' or its special forms' : ''})`;
    }
  }
  return null;
}

/** Problems with the six fields of a cron expression, each naming its field; empty when valid. */
export function cronProblems(fields: readonly string[]): string[] {
  if (fields.length !== 6) return [`it has ${fields.length} fields; EventBridge cron has six (minutes hours day-of-month month day-of-week year)`];
  const problems = fields.map((text, i) => fieldProblem(text, CRON_FIELDS[i] as Field)).filter((p): p is string => p !== null);
  const [, , dom, , dow] = fields;
  if ((dom === '?') === (dow === '?')) problems.push('exactly one of day-of-month and day-of-week must be "?"');
  return problems;
}

/** The values a plain field (no special forms) matches, or null when it uses a special form. */
function matches(text: string, f: Field): Set<number> | null {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    if (part === '?') {
      for (let v = f.min; v <= f.max; v++) out.add(v);
      continue;
    }
    if (f.special?.test(part.toUpperCase())) return null;
    const [base = '', step] = part.split('/');
    const [a = '', b] = base.split('-');
    const from = base === '*' ? f.min : (value(a, f) ?? f.min);
    const to = base === '*' ? f.max : b !== undefined ? (value(b, f) ?? f.max) : step !== undefined ? f.max : from;
    for (let v = from; v <= to; v += step === undefined ? 1 : Number(step)) out.add(v);
  }
  return out;
}

/**
 * Shortest time between two runs of a valid cron expression, in minutes, from its firings over
 * 15 days (UTC); undefined when it uses L, W or # or fires fewer than twice in that span.
 */
export function shortestCronGapMinutes(fields: readonly string[]): number | undefined {
  const sets = fields.slice(0, 5).map((t, i) => matches(t, CRON_FIELDS[i] as Field));
  if (sets.some((s) => s === null)) return undefined;
  const [mins, hours, doms, months, dows] = sets as Set<number>[];
  const start = Date.UTC(2027, 0, 1);
  let last: number | undefined;
  let shortest: number | undefined;
  for (let m = 0; m < 15 * 24 * 60; m++) {
    const d = new Date(start + m * 60_000);
    // Day-of-week 1-7 is SUN-SAT; "?" in one day field leaves the other to decide.
    if (!mins!.has(d.getUTCMinutes()) || !hours!.has(d.getUTCHours()) || !months!.has(d.getUTCMonth() + 1)) continue;
    if (!doms!.has(d.getUTCDate()) || !dows!.has(d.getUTCDay() + 1)) continue;
    if (last !== undefined) shortest = Math.min(shortest ?? Infinity, m - last);
    last = m;
  }
  return shortest;
}

/** The six fields of `cron(...)`. */
export function cronFields(expression: string): string[] {
  return (/^cron\((.+)\)$/.exec(expression)?.[1] ?? '').trim().split(/\s+/);
}
