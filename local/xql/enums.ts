/**
 * The enum values the local engine knows, per xdr_data field. XQL writes them `ENUM.PROCESS`
 * (Palo Alto's own examples: `filter agent_os_type = ENUM.AGENT_OS_MAC`, hunting queries
 * `event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START`), and the filter page also
 * shows the bare name (`filter event_type = NETWORK and event_sub_type = NETWORK_HTTP_HEADER`).
 * Returned rows hold the bare name ("PROCESS", "AGENT_OS_WINDOWS").
 * https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR/Cortex-XDR-3.x-Documentation/filter?contentId=mezXCy~c2BxJQTi_o~e_cw
 * https://docs-cortex.paloaltonetworks.com/r/Cortex-XQL-Schema-Reference-Guide
 *
 * XSIAM's query editor knows every enum of the schema, so a misspelt name (`ENUM.AGENT_OS_WINDOWZ`)
 * is a mistake there, not a filter that silently matches nothing; the engine refuses a name
 * outside these lists, and an enum that belongs to another field (`event_type = ENUM.PROCESS_START`).
 */

/** Enum names by the field that holds them. */
export const FIELD_ENUMS: Readonly<Record<string, readonly string[]>> = {
  event_type: [
    'PROCESS', 'NETWORK', 'FILE', 'REGISTRY', 'INJECTION', 'LOAD_IMAGE', 'USER_STATUS_CHANGE', 'TIME_CHANGE',
    'THREAD', 'CAUSALITY', 'HOST_STATUS_CHANGE', 'AGENT_STATUS_CHANGE', 'INTERNAL_STATISTICS', 'PROCESS_HANDLE',
    'EVENT_LOG', 'EPM_STATUS', 'METADATA_CHANGE', 'SYSTEM_CALL', 'DEVICE', 'HOST_FIREWALL', 'STORY', 'VPN_EVENT',
  ],
  event_sub_type: [
    'PROCESS_START', 'PROCESS_STOP',
    'FILE_CREATE_NEW', 'FILE_OPEN', 'FILE_RENAME', 'FILE_LINK', 'FILE_REMOVE', 'FILE_WRITE', 'FILE_SET_ATTRIBUTE',
    'FILE_DIR_CREATE', 'FILE_DIR_OPEN', 'FILE_DIR_RENAME', 'FILE_DIR_LINK', 'FILE_DIR_REMOVE', 'FILE_REPARSE',
    'FILE_SET_SECURITY_DESCRIPTOR', 'FILE_CHANGE_MODE', 'FILE_CHANGE_OWNER',
    'REGISTRY_CREATE_KEY', 'REGISTRY_DELETE_KEY', 'REGISTRY_RENAME_KEY', 'REGISTRY_SET_VALUE', 'REGISTRY_DELETE_VALUE',
    'REGISTRY_LOAD', 'REGISTRY_UNLOAD', 'REGISTRY_SAVE', 'REGISTRY_RESTORE',
    'LOAD_IMAGE_MODULE', 'LOAD_IMAGE_MPROTECT', 'LOAD_IMAGE_PRELOAD', 'LOAD_IMAGE_SO_LOAD',
    'NETWORK_STREAM_CONNECT', 'NETWORK_HTTP_HEADER', 'EVENT_LOG_AGENT_EVENT_LOG',
  ],
  agent_os_type: ['AGENT_OS_WINDOWS', 'AGENT_OS_MAC', 'AGENT_OS_LINUX'],
  agent_install_type: ['STANDARD', 'VDI', 'VDI_GOLDEN', 'TEMPORARY_SESSION', 'DATA_COLLECTOR'],
  action_process_signature_status: ['SIGNED', 'SIGNED_INVALID', 'UNSIGNED'],
  actor_process_signature_status: ['SIGNED', 'SIGNED_INVALID', 'UNSIGNED'],
  action_file_signature_status: ['SIGNED', 'SIGNED_INVALID', 'UNSIGNED'],
  action_network_protocol: ['TCP', 'UDP', 'ICMP'],
};

/** Every enum name the engine knows. */
export const KNOWN_ENUMS: ReadonlySet<string> = new Set(Object.values(FIELD_ENUMS).flat());

/** True when `name` is a known enum (names are upper case, as in the schema). */
export function isKnownEnum(name: string): boolean {
  return KNOWN_ENUMS.has(name);
}

/** The enums `field` may hold, or undefined when the engine has no list for the field. */
export function enumsOf(field: string): readonly string[] | undefined {
  return Object.hasOwn(FIELD_ENUMS, field) ? FIELD_ENUMS[field] : undefined;
}

/** A few known names close to `name`, for the error message. */
export function enumHint(name: string, field?: string): string {
  const pool = (field === undefined ? undefined : enumsOf(field)) ?? [...KNOWN_ENUMS];
  const stem = name.replace(/_[^_]*$/, '');
  const near = pool.filter((n) => stem.length > 0 && n.startsWith(stem)).slice(0, 6);
  return (near.length > 0 ? near : pool.slice(0, 6)).map((n) => `ENUM.${n}`).join(', ');
}
