/**
 * The late laptop of the sample day: LT-SLS-07, a sales laptop that opened the same phishing
 * document, is used by the operator to reach FS01 with the stolen svc_backup credentials, then
 * leaves the office asleep in a bag. Its XDR agent uploads the afternoon's events when the laptop
 * is next online, six hours later: XSIAM stamps them `_insert_time` on arrival, hours after their
 * `_time` (the system field, docs/reference/xsiam-xql-api.md, last addendum). A hunt that selects
 * only on `_time` would have checkpointed past them; `npm run hunt` shows the pair with "arrived
 * 6 h after it happened". FS01 was online: its WmiPrvSE.exe child arrived on time.
 */
import { OFFLINE_LAPTOP, SERVERS } from './fleet.js';
import { IMG, WMIC } from './images.js';
import type { Rng } from './prng.js';
import type { Proc, RowSink, XdrRow } from './rows.js';
import { writeWmiChild } from './target-side.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** How long after they happened the laptop's events reached XSIAM. */
export const LAPTOP_UPLOAD_DELAY_MS = 6 * HOUR;
/** The laptop's one remote launch: minutes after the intrusion starts, as INTRUSION_LAUNCHES gives them. */
export const LATE_LAPTOP_LAUNCH = { from: 'LT-SLS-07', atMin: 95, targets: ['fs01'] } as const;
const PAYLOAD = 'cmd.exe /c dir /s /b D:\\Shares\\Finance > C:\\Windows\\Temp\\fin.txt';

/** Writes the laptop's rows; `base` is when the intrusion starts on patient zero. */
export function writeLateLaptop(sink: RowSink, rng: Rng, base: number, stolen: { user: string; password: string }): void {
  const host = OFFLINE_LAPTOP; // LATE_LAPTOP_LAUNCH.from
  const user = host.user;
  const at = (min: number): number => base + min * MINUTE + rng.int(0, 30_000);
  const outlook: Proc = { image: IMG.outlook, cmd: `"${IMG.outlook.path}" `, user };
  const winword: Proc = { image: IMG.winword, cmd: `"${IMG.winword.path}" /n "C:\\Users\\r.quinn\\Downloads\\Remittance_Advice_88314.docm" /o ""`, user };
  const ps: Proc = { image: IMG.powershell, cmd: 'powershell.exe -NoP -W Hidden -Exec Bypass -File C:\\Users\\Public\\u.ps1', user };
  const line = `wmic /node:FS01 /user:"${stolen.user}" /password:"${stolen.password}" process call create "${PAYLOAD}"`;
  const wmic: Proc = { image: WMIC.lower, cmd: line, user };
  const launch = at(LATE_LAPTOP_LAUNCH.atMin);
  const uploaded = launch + LAPTOP_UPLOAD_DELAY_MS;
  const late: XdrRow[] = [
    sink.process({ host, time: at(40), action: winword, actor: outlook, causality: winword }),
    sink.process({ host, time: at(41), action: ps, actor: winword, causality: winword }),
    sink.process({ host, time: launch, action: wmic, actor: ps, causality: winword }),
    sink.process({ host, time: launch + rng.int(800, 3_000), action: wmic, actor: ps, causality: winword, subType: 'PROCESS_STOP' }),
  ];
  // Every row of the laptop reached XSIAM at the upload (epoch ms, as the sample's other times).
  for (const row of late) {
    row['_insert_time'] = uploaded;
    row['insert_timestamp'] = uploaded;
  }
  writeWmiChild(sink, SERVERS.FS01, launch + rng.int(1_500, 5_000), IMG.cmd, PAYLOAD, stolen.user);
}
