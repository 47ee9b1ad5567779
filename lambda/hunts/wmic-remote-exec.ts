/**
 * The hunt this product runs: HuntQuery-Windows-WMIC-RemoteExec (v1.0, 2025-07-28).
 * Everything here comes from the specification (docs/hunt/HuntQuery-Windows-WMIC-RemoteExec.md);
 * the seed XQL is kept byte for byte, and a test compares it with the specification.
 */
import type { HuntDefinition } from './types.js';

/** The specification's XQL, verbatim (trailing spaces included). */
export const SEED_XQL = `// Title: Remote Process Creation using WMIC
// Description: Detects the use of "wmic.exe" with the "/node" and "process call create" parameters to execute a process on a remote host, a key lateral movement TTP for Chaos RaaS.
// MITRE ATT&CK TTP ID: T1047

config case_sensitive = false 
| dataset = xdr_data 
| filter event_type = ENUM.PROCESS 
    and event_sub_type = ENUM.PROCESS_START 
    and agent_os_type = ENUM.AGENT_OS_WINDOWS 
    and action_process_image_name = "wmic.exe" 
    and action_process_image_command_line contains "/node:" 
    and action_process_image_command_line contains "process" 
    and action_process_image_command_line contains "call" 
    and action_process_image_command_line contains "create" 
| fields _time, agent_hostname, actor_effective_username, action_process_image_name, action_process_image_path, action_process_image_command_line, actor_process_image_name, actor_process_image_path, actor_process_command_line, causality_actor_process_command_line, causality_actor_primary_username, causality_actor_process_image_sha256, event_id, agent_id, _product 
| sort desc _time
`;

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

export const WMIC_REMOTE_EXEC: HuntDefinition = {
  id: 'HuntQuery-Windows-WMIC-RemoteExec',
  title: 'Remote Process Creation using WMIC',
  version: '1.0',
  description:
    'wmic.exe with /node: and "process call create" started a process on another host: a living-off-the-land ' +
    'lateral movement and remote execution technique (used by the Chaos ransomware group to launch its encryptor).',
  riskScore: 85,
  severity: 'high',
  falsePositiveRate: 'medium',
  attack: [
    { tacticId: 'TA0008', tactic: 'Lateral Movement', techniqueId: 'T1047', technique: 'Windows Management Instrumentation' },
    { tacticId: 'TA0002', tactic: 'Execution', techniqueId: 'T1047', technique: 'Windows Management Instrumentation' },
  ],
  queries: { seed: SEED_XQL, broadened: BROADENED_XQL },
  falsePositives: [
    'Legitimate remote administration scripts use WMIC for software deployment or management.',
    'Enterprise management tools (e.g., SCCM) leverage WMIC for remote tasks.',
    'Context is critical: an administrator running a known script differs from wmic.exe spawned by an unusual parent to launch powershell.exe on a remote server.',
  ],
  responseActions: [
    'Isolate Both Hosts: immediately isolate the source (agent_hostname) and the destination (/node:) hosts to contain the threat.',
    'Analyze Command: examine what process was executed on the remote host to understand the attacker\'s immediate objective.',
    'Investigate Source: analyze the source host to understand how the attacker gained access and launched WMIC.',
    'Investigate Destination: analyze the destination host for follow-on activity from the remotely executed process (look for children of WmiPrvSE.exe).',
    'Review Credentials: the credentials used are compromised; reset them and review their other activity.',
  ],
  references: [
    'https://attack.mitre.org/techniques/T1047/',
    'https://blog.talosintelligence.com/new-chaos-ransomware/',
  ],
};
