/**
 * The fields of the `xdr_data` dataset this product knows to exist, from the documentation, so a
 * query (a hunt's own XQL, a hunt card, `npm run hunt -- xql`) that names a field xdr_data does not
 * have is flagged instead of silently matching nothing. Import `isXdrDataField` to check a name.
 *
 * Sources (docs/reference/xsiam-xql-api.md §5, §6 and its addenda):
 * - System fields, "always displayed": `_time, _insert_time, _raw_log, _product, _vendor, _tag,
 *   _snapshot_id, _snapshot_log_count, _snapshot_collection_ts, _id`
 *   https://docs-cortex.paloaltonetworks.com/r/Cortex-XDR/Cortex-XDR-3.x-Documentation/fields
 * - The xdr_data schema (agent_*, actor_*, action_*, causality_actor_*, event_*):
 *   https://docs-cortex.paloaltonetworks.com/r/Cortex-XQL-Schema-Reference-Guide/Causality-Actor
 *   and the field descriptions of demisto/content `Packs/CortexXDR/Integrations/XQLQueryingEngine/README.md`
 * - Sample rows: Rapid7 help.md (`insert_timestamp`), stix-shifter README (`agent_os_sub_type`,
 *   `actor_process_signature_status`, `agent_is_vdi`, `event_timestamp`, `agent_ip_addresses_v6`).
 * The list is what the product and its reference notes name, not the whole schema: a field the
 * documentation adds is added here, with its source.
 */

export const XDR_DATA_SYSTEM_FIELDS = [
  '_time', '_insert_time', '_raw_log', '_product', '_vendor', '_tag', '_snapshot_id', '_snapshot_log_count', '_snapshot_collection_ts', '_id',
] as const;

export const XDR_DATA_FIELDS = [
  ...XDR_DATA_SYSTEM_FIELDS,
  'insert_timestamp', 'event_id', 'event_type', 'event_sub_type', 'event_timestamp',
  'agent_id', 'agent_hostname', 'agent_os_type', 'agent_os_sub_type', 'agent_ip_addresses', 'agent_ip_addresses_v6', 'agent_is_vdi',
  'actor_effective_username', 'actor_primary_username', 'actor_process_image_name', 'actor_process_image_path',
  'actor_process_command_line', 'actor_process_image_sha256', 'actor_process_signature_status', 'actor_process_is_native',
  'action_process_image_name', 'action_process_image_path', 'action_process_image_command_line', 'action_process_image_sha256',
  'action_process_username', 'action_process_file_info',
  'action_file_name', 'action_file_path', 'action_local_ip', 'action_local_port', 'action_remote_ip', 'action_remote_port',
  'causality_actor_process_command_line', 'causality_actor_process_image_name', 'causality_actor_process_image_path',
  'causality_actor_process_image_sha256', 'causality_actor_primary_username',
  // named by the product's hunts, drill-downs and sample data (same sources)
  'agent_version', 'action_process_image_md5', 'action_process_signature_status', 'action_process_signature_vendor', 'action_process_os_pid', 'action_process_integrity_level', 'action_process_instance_id', 'actor_process_image_md5', 'actor_process_os_pid', 'actor_process_instance_id', 'actor_process_signature_vendor', 'causality_actor_process_image_md5', 'causality_actor_causality_id', 'action_file_sha256', 'action_external_hostname',
] as const;

const KNOWN: ReadonlySet<string> = new Set(XDR_DATA_FIELDS);

/** True when `name` is a documented xdr_data field (exact, lower-case as XSIAM names them). */
export function isXdrDataField(name: string): boolean {
  return KNOWN.has(name);
}
