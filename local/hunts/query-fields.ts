/** The fields a parsed XQL query names (filters, fields, sort, dedup) and the ones it returns. */
import type { XqlQuery } from '../xql/index.js';

type Node = { readonly kind: string } & Record<string, unknown>;

/** Field names in an expression tree (values, conditions), whatever its depth. */
function collect(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) collect(n, out);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const n = node as Node;
  if (n.kind === 'field' && typeof n['name'] === 'string') out.add(n['name']);
  for (const value of Object.values(n)) if (typeof value === 'object') collect(value, out);
}

/**
 * `used`: xdr_data fields the query reads (aliases made by `fields ... as` left out).
 * `returned`: the fields of its last `fields` stage (aliases as named), null when it has none (all fields).
 */
export function fieldsOfQuery(query: XqlQuery): { readonly used: ReadonlySet<string>; readonly returned: ReadonlySet<string> | null } {
  const used = new Set<string>();
  const aliases = new Set<string>();
  let returned: Set<string> | null = null;
  const use = (name: string): void => { if (!aliases.has(name)) used.add(name); };
  for (const stage of query.stages) {
    switch (stage.kind) {
      case 'filter': {
        const names = new Set<string>();
        collect(stage.condition, names);
        names.forEach(use);
        break;
      }
      case 'fields':
        for (const item of stage.items) {
          use(item.name);
          if (item.alias !== item.name) aliases.add(item.alias);
        }
        returned = new Set(stage.items.map((i) => i.alias));
        break;
      case 'fieldsExclude':
        stage.names.forEach(use);
        if (returned !== null) for (const name of stage.names) returned.delete(name);
        break;
      case 'sort':
        for (const key of stage.keys) use(key.field);
        break;
      case 'dedup':
        stage.fields.forEach(use);
        if (stage.by) use(stage.by.field);
        break;
      case 'limit':
        break;
    }
  }
  return { used, returned };
}
