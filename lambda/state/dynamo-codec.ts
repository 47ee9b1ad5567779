/**
 * Decodes a raw DynamoDB AttributeValue map. The Document client unmarshalls responses but not
 * errors, so the ALL_OLD item carried by ConditionalCheckFailedException arrives raw.
 */

function decodeValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if ('S' in v) return v['S'];
  if ('N' in v) return Number(v['N']);
  if ('BOOL' in v) return v['BOOL'];
  if ('NULL' in v) return null;
  if ('L' in v) return Array.isArray(v['L']) ? v['L'].map(decodeValue) : [];
  if ('M' in v) return decodeItem(v['M']);
  if ('SS' in v) return v['SS'];
  if ('NS' in v) return Array.isArray(v['NS']) ? v['NS'].map(Number) : [];
  return undefined;
}

/** A plain object from an AttributeValue map; undefined when `item` is not one. */
export function decodeItem(item: unknown): Record<string, unknown> | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) out[name] = decodeValue(value);
  return out;
}
