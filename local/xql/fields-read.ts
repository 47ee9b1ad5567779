/**
 * The dataset fields a parsed query reads (filters, fields, sort, dedup), leaving out names an
 * earlier `fields a as b` stage made up, so they can be checked against xdr-fields.ts.
 */
import type { BoolExpr, ValueExpr, XqlQuery } from './ast.js';
import { isXdrDataField } from './xdr-fields.js';

/** Dataset fields `query` reads, in order of first use. */
export function fieldsRead(query: XqlQuery): string[] {
  const read = new Set<string>();
  const aliases = new Set<string>();
  const use = (name: string): void => { if (!aliases.has(name)) read.add(name); };
  const value = (v: ValueExpr): void => {
    if (v.kind === 'field') use(v.name);
    else if (v.kind === 'call' || v.kind === 'epoch') value(v.arg);
    else if (v.kind === 'json') value(v.source);
  };
  const condition = (c: BoolExpr): void => {
    switch (c.kind) {
      case 'and': case 'or': c.terms.forEach(condition); return;
      case 'not': condition(c.term); return;
      case 'isNull': value(c.operand); return;
      case 'in': case 'regex': value(c.left); return;
      case 'compare': case 'contains': value(c.left); value(c.right); return;
    }
  };
  for (const stage of query.stages) {
    if (stage.kind === 'filter') condition(stage.condition);
    else if (stage.kind === 'fields') {
      for (const item of stage.items) use(item.name);
      for (const item of stage.items) if (item.alias !== item.name) aliases.add(item.alias);
    } else if (stage.kind === 'fieldsExclude') stage.names.forEach(use);
    else if (stage.kind === 'sort') stage.keys.forEach((k) => use(k.field));
    else if (stage.kind === 'dedup') {
      stage.fields.forEach(use);
      if (stage.by !== undefined) use(stage.by.field);
    }
  }
  return [...read];
}

/** The fields an xdr_data query reads that xdr_data does not have; [] for other datasets. */
export function unknownXdrFields(query: XqlQuery): string[] {
  if (query.dataset.toLowerCase() !== 'xdr_data') return [];
  return fieldsRead(query).filter((name) => !isXdrDataField(name));
}
