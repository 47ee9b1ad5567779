/**
 * The flagship hunt's definition in code, for the WMIC module and its tests: everything comes from
 * its card (hunts/HuntQuery-Windows-WMIC-RemoteExec.md); only the broadened XQL variant is the module's.
 */
import { parseCard } from './card.js';
import { EMBEDDED_CARDS } from './cards.generated.js';
import { definitionOf } from './definition.js';
import { HuntRegistryError } from './errors.js';
import type { HuntDefinition } from './types.js';

/**
 * Broadened variant (adds -node: and renamed wmic.exe where the data carries the PE original name).
 * The original name is read with json_extract_scalar, so it is compared whole, never as a substring
 * of the JSON text: https://docs-cortex.paloaltonetworks.com/r/Cortex-XSIAM/Cortex-XSIAM-Documentation/json_extract_scalar
 */
export const BROADENED_XQL = `// Broadened variant of HuntQuery-Windows-WMIC-RemoteExec: also -node:, and renamed copies of
// wmic.exe whose PE original file name (the original_name key of action_process_file_info) is
// exactly wmic.exe (notwmic.exe is not).
// The query only narrows the candidates; the detector parses each line and makes the final call.

config case_sensitive = false
| dataset = xdr_data
| filter event_type = ENUM.PROCESS
    and event_sub_type = ENUM.PROCESS_START
    and agent_os_type = ENUM.AGENT_OS_WINDOWS
    and (action_process_image_name = "wmic.exe" or json_extract_scalar(action_process_file_info, "$.original_name") = "wmic.exe")
    and (action_process_image_command_line contains "/node:" or action_process_image_command_line contains "-node:")
    and action_process_image_command_line contains "process"
    and action_process_image_command_line contains "call"
    and action_process_image_command_line contains "create"
| fields _time, agent_hostname, actor_effective_username, action_process_image_name, action_process_image_path, action_process_image_command_line, actor_process_image_name, actor_process_image_path, actor_process_command_line, causality_actor_process_command_line, causality_actor_primary_username, causality_actor_process_image_sha256, event_id, agent_id, _product, action_process_file_info
| sort desc _time
`;

const CARD_FILE = 'hunts/HuntQuery-Windows-WMIC-RemoteExec.md';
const card = EMBEDDED_CARDS.find((c) => c.file === CARD_FILE);
if (card === undefined) throw new HuntRegistryError(`${CARD_FILE} is not embedded: run npm run cards`);

/** The flagship hunt as its card says (the seed's card, embedded at build time), with the broadened variant. */
export const WMIC_REMOTE_EXEC: HuntDefinition = definitionOf(parseCard(card.text, card.file), { broadened: BROADENED_XQL });

/** The specification's XQL, verbatim (trailing spaces included): the card's ```xql block. */
export const SEED_XQL: string = WMIC_REMOTE_EXEC.queries.seed;
