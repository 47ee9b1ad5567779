/**
 * Stage parser: `config`, `dataset`, `filter`, `fields`, `sort`, `limit`, `dedup`, separated by `|`.
 * Anything outside this subset is a parse error naming what was expected, never a silent guess.
 */
import type { SortDirection, Stage, XqlQuery } from './ast.js';
import { XqlParseError } from './errors.js';
import { ExprParser } from './expr-parser.js';
import { describeToken, tokenize, type Token } from './lexer.js';
import { FieldScope } from './scope.js';
import { QUERY_TIME_FORM, parseDuration, parseTimePoint, type TimePoint, type XqlTimeframe } from './timeframe.js';
import { TokenStream } from './tokens.js';

/** Longer queries are refused up front, so hostile input costs bounded time and memory. */
export const MAX_QUERY_LENGTH = 100_000;

const DATA_STAGES = ['filter', 'fields', 'sort', 'limit', 'dedup'] as const;
const STAGE_LIST = 'a stage (config, dataset, filter, fields, sort, limit, dedup)';
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses XQL text into an XqlQuery; throws XqlParseError with the line and column of the problem. */
export function parseXql(text: string): XqlQuery {
  if (typeof text !== 'string') throw new XqlParseError(1, 1, 'the query text as a string', typeof text);
  if (text.length > MAX_QUERY_LENGTH) {
    throw new XqlParseError(1, 1, `a query of at most ${MAX_QUERY_LENGTH} characters`, `${text.length} characters`);
  }
  const ts = new TokenStream(tokenize(text));
  const scope = new FieldScope(ts);
  const exprs = new ExprParser(ts, scope);
  let caseSensitive = false;
  let timeframe: XqlTimeframe | undefined;
  let dataset: string | undefined;
  const stages: Stage[] = [];

  if (ts.peek().kind === 'eof') ts.fail(STAGE_LIST);
  do {
    const head = ts.peek();
    const name = head.kind === 'ident' ? head.text.toLowerCase() : '';
    if (name === 'config') {
      if (dataset !== undefined || stages.length > 0) {
        ts.fail('a stage other than config (config stages must come before all others)');
      }
      ts.next();
      // One config stage may carry several settings (`config case_sensitive = false timeframe = 30d`,
      // as Palo Alto's published queries write it); several config stages are allowed too, and a
      // repeated setting takes the later value. "This stage must be presented as the first stage."
      // https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM/Cortex-XSIAM-Documentation/config?contentId=lOppfnA4_teTGQVda~_YUw
      do {
        const setting = parseConfig(ts);
        if ('caseSensitive' in setting) caseSensitive = setting.caseSensitive;
        else timeframe = setting.timeframe;
      } while (ts.isKeyword('case_sensitive') || ts.isKeyword('timeframe'));
    } else if (name === 'dataset') {
      if (dataset !== undefined || stages.length > 0) {
        ts.fail('a data stage (dataset must come once, right after the config stages)');
      }
      ts.next();
      ts.expectPunct('=', "'=' after dataset");
      dataset = expectName(ts, 'a dataset name');
    } else if ((DATA_STAGES as readonly string[]).includes(name)) {
      ts.next();
      stages.push(parseDataStage(name as (typeof DATA_STAGES)[number], ts, exprs, scope, head));
    } else {
      ts.fail(STAGE_LIST);
    }
    if (!ts.isPunct('|') && ts.peek().kind !== 'eof') ts.fail("'|' or the end of the query");
  } while (ts.acceptPunct('|'));

  return { text, caseSensitive, timeframe, dataset: dataset ?? 'xdr_data', stages };
}

function parseConfig(ts: TokenStream): { caseSensitive: boolean } | { timeframe: XqlTimeframe } {
  if (ts.acceptKeyword('case_sensitive')) {
    ts.expectPunct('=', "'=' after case_sensitive");
    if (ts.acceptKeyword('true')) return { caseSensitive: true };
    if (ts.acceptKeyword('false')) return { caseSensitive: false };
    return ts.fail('true or false');
  }
  if (!ts.acceptKeyword('timeframe')) return ts.fail('case_sensitive or timeframe after config');
  if (ts.acceptPunct('=')) {
    const token = ts.peek();
    const ms = token.kind === 'duration' ? parseDuration(token.text) : undefined;
    if (ms === undefined) ts.fail('a duration such as 24h, 7d or 1mo (units ms, s, m, h, d, w, mo, y)');
    ts.next();
    return { timeframe: { kind: 'last', durationMs: ms } };
  }
  ts.expectKeyword('between', "'=' or 'between' after timeframe");
  const fromToken = ts.peek();
  const from = parseTimeString(ts);
  ts.expectKeyword('and', "'and' between the two times");
  const to = parseTimeString(ts);
  if (from.kind === 'absolute' && to.kind === 'absolute' && from.epochMs > to.epochMs) {
    throw new XqlParseError(fromToken.line, fromToken.column, 'a start time before the end time',
      'a start after the end');
  }
  return { timeframe: { kind: 'between', from, to } };
}

function parseTimeString(ts: TokenStream): TimePoint {
  const token = ts.peek();
  const point = token.kind === 'string' ? parseTimePoint(token.text) : undefined;
  if (point === undefined) {
    // https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR/Cortex-XDR-Documentation/timeframe
    const iso = token.kind === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(token.text.trim());
    ts.fail(`a time in double quotes in the documented form ${QUERY_TIME_FORM} (or "-1d", "now", "begin")`, token,
      iso ? `${describeToken(token)} (ISO 8601 "T" times are not XQL's form)` : describeToken(token));
  }
  ts.next();
  return point;
}

function parseDataStage(
  name: (typeof DATA_STAGES)[number],
  ts: TokenStream,
  exprs: ExprParser,
  scope: FieldScope,
  head: Token,
): Stage {
  const field = (expected: string): string => expectField(ts, scope, expected);
  switch (name) {
    case 'filter':
      return { kind: 'filter', condition: exprs.parseCondition() };
    case 'fields': {
      const stage = parseFields(ts, field);
      if (stage.kind === 'fields') scope.keepOnly(stage.items.map((i) => i.alias), head);
      else if (stage.kind === 'fieldsExclude') scope.drop(stage.names, head);
      return stage;
    }
    case 'sort': {
      const keys: { field: string; direction: SortDirection }[] = [];
      do {
        const direction = expectDirection(ts);
        keys.push({ direction, field: field('a field to sort on') });
      } while (ts.acceptPunct(','));
      return { kind: 'sort', keys };
    }
    case 'limit': {
      const token = ts.peek();
      if (token.kind !== 'number' || !/^\d{1,9}$/.test(token.text)) ts.fail('a whole number of rows');
      ts.next();
      return { kind: 'limit', count: Number(token.text) };
    }
    case 'dedup': {
      const fields: string[] = [];
      do fields.push(field('a field to dedup on'));
      while (ts.acceptPunct(','));
      if (!ts.acceptKeyword('by')) return { kind: 'dedup', fields, by: undefined };
      const direction = expectDirection(ts);
      return { kind: 'dedup', fields, by: { direction, field: field('a field after the direction') } };
    }
  }
}

function parseFields(ts: TokenStream, field: (expected: string) => string): Stage {
  if (ts.isPunct('-')) {
    const names: string[] = [];
    do {
      ts.expectPunct('-', "'-' before each excluded field (fields cannot mix - and plain names)");
      names.push(field('a field to exclude'));
    } while (ts.acceptPunct(','));
    return { kind: 'fieldsExclude', names };
  }
  const items: { name: string; alias: string }[] = [];
  do {
    const name = field('a field name');
    const alias = ts.acceptKeyword('as') ? expectName(ts, "an alias after 'as'") : name;
    items.push({ name, alias });
  } while (ts.acceptPunct(','));
  return { kind: 'fields', items };
}

function expectDirection(ts: TokenStream): SortDirection {
  if (ts.acceptKeyword('asc')) return 'asc';
  if (ts.acceptKeyword('desc')) return 'desc';
  return ts.fail("asc or desc (XQL writes the direction before the field: 'sort desc _time')");
}

function expectField(ts: TokenStream, scope: FieldScope, expected: string): string {
  const token = ts.peek();
  const name = expectName(ts, expected);
  scope.check(name, token);
  return name;
}

function expectName(ts: TokenStream, expected: string): string {
  const token = ts.peek();
  // __proto__ and friends would reach Object.prototype through row[name]; no real field looks like that.
  if (token.kind !== 'ident' || !FIELD.test(token.text) || token.text.startsWith('__')) ts.fail(expected);
  ts.next();
  return token.text;
}
