/**
 * Builds xdr_data-shaped rows the way the local XSIAM stores them: enums as bare upper-case
 * strings, `_time` and `insert_timestamp` in epoch ms, base64 event ids, `_vendor`/`_product`.
 */
import type { Host, Image } from './fleet.js';
import { sha256Of } from './fleet.js';
import type { Rng } from './prng.js';

/** One xdr_data row. */
export type XdrRow = Record<string, unknown>;

/** A running process: its image, its command line and the user it runs as. */
export interface Proc {
  readonly image: Image;
  readonly cmd: string;
  readonly user: string;
}

/** The causality group owner (CGO) of a process tree. */
export type Causality = Proc;

/** Everything a process event needs besides its time and host. */
export interface ProcessEvent {
  readonly host: Host;
  readonly time: number;
  /** The process that started (or stopped). */
  readonly action: Proc;
  /** Its parent. */
  readonly actor: Proc;
  readonly causality: Causality;
  /** @default 'PROCESS_START' */
  readonly subType?: 'PROCESS_START' | 'PROCESS_STOP';
}

/** A file or network event done by `actor`. */
export interface ActivityEvent {
  readonly host: Host;
  readonly time: number;
  readonly actor: Proc;
  readonly causality: Causality;
}

/** Appends rows to one list, numbering event ids so they are unique within the sample. */
export class RowSink {
  readonly rows: XdrRow[] = [];
  private seq = 0;

  constructor(private readonly rng: Rng) {}

  /** A PROCESS_START (or PROCESS_STOP) row. */
  process(e: ProcessEvent): XdrRow {
    return this.push(e.host, e.time, 'PROCESS', e.subType ?? 'PROCESS_START', e.actor, e.causality, {
      action_process_image_name: e.action.image.name,
      action_process_image_path: e.action.image.path,
      action_process_image_command_line: e.action.cmd,
      action_process_username: e.action.user,
      action_process_image_sha256: sha256Of(e.action.image),
    });
  }

  /** A FILE row (`FILE_WRITE`, `FILE_CREATE_NEW`, `FILE_RENAME`, ...). */
  file(e: ActivityEvent, subType: string, path: string): XdrRow {
    const name = path.slice(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);
    return this.push(e.host, e.time, 'FILE', subType, e.actor, e.causality, {
      ...nullAction(),
      action_file_path: path,
      action_file_name: name,
    });
  }

  /** A NETWORK row (an outgoing stream connection). */
  network(e: ActivityEvent, remoteIp: string, remotePort: number): XdrRow {
    return this.push(e.host, e.time, 'NETWORK', 'NETWORK_STREAM_CONNECT', e.actor, e.causality, {
      ...nullAction(),
      action_local_ip: e.host.ip,
      action_local_port: this.rng.int(49152, 65535),
      action_remote_ip: remoteIp,
      action_remote_port: remotePort,
    });
  }

  private push(
    host: Host,
    time: number,
    eventType: string,
    subType: string,
    actor: Proc,
    causality: Causality,
    action: XdrRow,
  ): XdrRow {
    const t = Math.floor(time);
    const row: XdrRow = {
      _time: t,
      insert_timestamp: t + this.rng.int(900, 95_000),
      _vendor: 'PANW',
      _product: 'XDR agent',
      event_id: this.eventId(t),
      agent_id: host.agentId,
      agent_hostname: host.name,
      agent_ip_addresses: host.ip,
      agent_os_type: host.role === 'linux' ? 'AGENT_OS_LINUX' : 'AGENT_OS_WINDOWS',
      event_type: eventType,
      event_sub_type: subType,
      ...action,
      actor_process_image_name: actor.image.name,
      actor_process_image_path: actor.image.path,
      actor_process_command_line: actor.cmd,
      actor_effective_username: actor.user,
      causality_actor_process_image_name: causality.image.name,
      causality_actor_process_image_path: causality.image.path,
      causality_actor_process_command_line: causality.cmd,
      causality_actor_primary_username: causality.user,
      causality_actor_process_image_sha256: sha256Of(causality.image),
    };
    this.rows.push(row);
    return row;
  }

  /**
   * Real ids start with the event time in 8 big-endian bytes (AAABfvQtkk8q... decodes to 2022);
   * the sequence number in the tail makes every id in the sample unique.
   */
  private eventId(time: number): string {
    const bytes = Buffer.alloc(16);
    bytes.writeBigUInt64BE(BigInt(time), 0);
    bytes.writeUInt32BE(this.rng.int(0, 0xffffffff), 8);
    bytes.writeUInt32BE(this.seq, 12);
    this.seq += 1;
    return bytes.toString('base64');
  }
}

function nullAction(): XdrRow {
  return {
    action_process_image_name: null,
    action_process_image_path: null,
    action_process_image_command_line: null,
    action_process_username: null,
    action_process_image_sha256: null,
  };
}
