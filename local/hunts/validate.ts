/**
 * Checks a card as the product will run it: the format (lambda/hunts/card.ts), its XQL parses in
 * the local engine, every field it names exists in xdr_data, and its finding keys are fields the
 * query returns. Every problem names the card's line and the fix.
 */
import type { HuntCard } from '../../lambda/hunts/index.js';
import { CardError, parseCard, type CardProblem } from '../../lambda/hunts/index.js';
import { parseXql, isXdrDataField, XqlParseError, type XqlQuery } from '../xql/index.js';
import { fieldsOfQuery } from './query-fields.js';

export interface CardCheck {
  /** The card, when its format is right (it may still have other problems). */
  readonly card: HuntCard | null;
  readonly problems: readonly CardProblem[];
}

export function checkCard(text: string, file: string): CardCheck {
  let card: HuntCard;
  try {
    card = parseCard(text, file);
  } catch (err) {
    if (err instanceof CardError) return { card: null, problems: err.problems };
    throw err;
  }
  const problems: CardProblem[] = [];
  const problem = (line: number, message: string, fix: string): void => { problems.push({ file, line, message, fix }); };
  let query: XqlQuery;
  try {
    query = parseXql(card.xql);
  } catch (err) {
    if (!(err instanceof XqlParseError)) throw err;
    problem(card.xqlLine + err.line - 1, `the XQL does not parse (column ${err.column}): expected ${err.expected}, found ${err.found}`,
      'write the query in the XQL the hunts use (see local/xql/index.ts for what the local engine reads), then run npm run hunt -- validate');
    return { card, problems };
  }
  if (query.dataset !== 'xdr_data') problem(card.xqlLine, `the query reads dataset ${query.dataset}`, 'hunt xdr_data ("| dataset = xdr_data")');
  const lineOf = (name: string): number => {
    const index = card.xql.split('\n').findIndex((l) => !l.trimStart().startsWith('//') && new RegExp(`\\b${name}\\b`).test(l));
    return card.xqlLine + Math.max(0, index);
  };
  const { used, returned } = fieldsOfQuery(query);
  for (const name of used) {
    if (!isXdrDataField(name)) problem(lineOf(name), `the field ${name} is not an xdr_data field`, 'check the spelling against the XQL schema reference (local/xql/xdr-fields.ts lists the known fields)');
  }
  for (const key of card.keyFields ?? []) {
    if (!isXdrDataField(key)) problem(card.keyFieldsLine ?? card.xqlLine, `the finding key ${key} is not an xdr_data field`, 'name xdr_data fields the query returns');
    else if (returned !== null && !returned.has(key)) problem(card.keyFieldsLine ?? card.xqlLine, `the finding key ${key} is not among the query's fields`, `add ${key} to the query's "| fields" stage`);
  }
  return { card, problems };
}
