/**
 * The wire side of the SNS stand-in: SNS's query protocol (form-encoded POST, XML replies) as the
 * real service speaks it (https://docs.aws.amazon.com/sns/latest/api/CommonParameters.html,
 * https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html).
 */

/** One message as Publish or a PublishBatch entry carries it. */
export interface WireEntry {
  readonly id: string;
  readonly message: string;
  readonly subject: string | undefined;
  readonly messageStructure: string | undefined;
  readonly attributes: Record<string, { dataType: string; stringValue: string }>;
}

/** Reads `MessageAttributes.entry.N.*` under `prefix`. */
function attributesOf(params: URLSearchParams, prefix: string): WireEntry['attributes'] {
  const attributes: WireEntry['attributes'] = {};
  for (let a = 1; params.has(`${prefix}MessageAttributes.entry.${a}.Name`); a += 1) {
    const q = `${prefix}MessageAttributes.entry.${a}.`;
    attributes[params.get(`${q}Name`) ?? ''] = { dataType: params.get(`${q}Value.DataType`) ?? '', stringValue: params.get(`${q}Value.StringValue`) ?? '' };
  }
  return attributes;
}

/** The entries of a PublishBatch (`PublishBatchRequestEntries.member.N.*`). */
export function batchEntries(params: URLSearchParams): WireEntry[] {
  const entries: WireEntry[] = [];
  for (let n = 1; params.has(`PublishBatchRequestEntries.member.${n}.Id`); n += 1) {
    const p = `PublishBatchRequestEntries.member.${n}.`;
    entries.push({
      id: params.get(`${p}Id`) ?? '',
      message: params.get(`${p}Message`) ?? '',
      subject: params.get(`${p}Subject`) ?? undefined,
      messageStructure: params.get(`${p}MessageStructure`) ?? undefined,
      attributes: attributesOf(params, p),
    });
  }
  return entries;
}

/** The one message of a Publish. */
export function publishEntry(params: URLSearchParams): WireEntry {
  return {
    id: 'publish',
    message: params.get('Message') ?? '',
    subject: params.get('Subject') ?? undefined,
    messageStructure: params.get('MessageStructure') ?? undefined,
    attributes: attributesOf(params, ''),
  };
}

/** Bytes SNS counts for a message: body, subject and every attribute's name, type and value. */
export function entryBytes(e: WireEntry): number {
  let bytes = Buffer.byteLength(e.message) + Buffer.byteLength(e.subject ?? '');
  for (const [name, v] of Object.entries(e.attributes)) bytes += Buffer.byteLength(name) + Buffer.byteLength(v.dataType) + Buffer.byteLength(v.stringValue);
  return bytes;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const NS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** An error reply for the whole call, e.g. `TooManyEntriesInBatchRequest`. */
export function errorReply(status: number, code: string, message: string, requestId: string): { status: number; body: string } {
  return {
    status,
    body: `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${xml(code)}</Code><Message>${xml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

/** A PublishBatch reply: Successful and Failed lists (a 200 even when entries failed). */
export function batchReply(
  ok: readonly { id: string; messageId: string }[],
  failed: readonly { id: string; code: string; message: string }[],
  requestId: string,
): { status: number; body: string } {
  const good = ok.map((o) => `<member><Id>${xml(o.id)}</Id><MessageId>${o.messageId}</MessageId></member>`).join('');
  const bad = failed.map((f) => `<member><Id>${xml(f.id)}</Id><Code>${xml(f.code)}</Code><Message>${xml(f.message)}</Message><SenderFault>true</SenderFault></member>`).join('');
  return {
    status: 200,
    body: `<PublishBatchResponse xmlns="${NS}"><PublishBatchResult><Successful>${good}</Successful><Failed>${bad}</Failed></PublishBatchResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishBatchResponse>`,
  };
}

/** A Publish reply. */
export function publishReply(messageId: string, requestId: string): { status: number; body: string } {
  return {
    status: 200,
    body: `<PublishResponse xmlns="${NS}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
  };
}
