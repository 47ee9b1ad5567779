/**
 * What a target host records when `wmic /node:<it> process call create "<command>"` works:
 * WmiPrvSE.exe (the WMI provider host) starts the command a few seconds later, as the hunt
 * specification's "Event on Target" note describes.
 */
import type { Host, Image } from './fleet.js';
import { IMG } from './images.js';
import type { Proc, RowSink } from './rows.js';

const WMIPRVSE: Proc = { image: IMG.wmiPrvSe, cmd: 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding', user: 'NT AUTHORITY\\NETWORK SERVICE' };

/** The process start on `host`; `command` is the remote command as wmic passed it. */
export function writeWmiChild(sink: RowSink, host: Host, time: number, image: Image, command: string, user: string): void {
  const action: Proc = { image, cmd: command, user };
  sink.process({ host, time, action, actor: WMIPRVSE, causality: action });
}
