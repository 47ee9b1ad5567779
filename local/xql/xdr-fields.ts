/**
 * The xdr_data fields the local engine knows, so a card's query can be checked for names that do
 * not exist (a typo returns nothing on a real tenant, silently). A minimal list: the fields the
 * product's hunts, drill-downs and sample data use, each from the sources in
 * docs/reference/xsiam-xql-api.md §5.1: the XQL schema reference
 * (https://docs-cortex.paloaltonetworks.com/r/Cortex-XQL-Schema-Reference-Guide/Causality-Actor) and
 * demisto/content Packs/CortexXDR/Integrations/XQLQueryingEngine/README.md (ProcessEvent outputs).
 * A field missing here that the schema has: add it with its source.
 */
export const XDR_DATA_FIELDS: ReadonlySet<string> = new Set([
  // system fields (always returned)
  '_time', '_insert_time', 'insert_timestamp', '_vendor', '_product',
  // the agent
  'agent_hostname', 'agent_id', 'agent_os_type', 'agent_os_sub_type', 'agent_ip_addresses', 'agent_version',
  // the event
  'event_id', 'event_type', 'event_sub_type', 'event_timestamp',
  // the action (target) process
  'action_process_image_name', 'action_process_image_path', 'action_process_image_command_line', 'action_process_image_sha256',
  'action_process_image_md5', 'action_process_username', 'action_process_file_info', 'action_process_signature_status',
  'action_process_signature_vendor', 'action_process_os_pid', 'action_process_integrity_level', 'action_process_instance_id',
  // the actor (parent) process
  'actor_effective_username', 'actor_process_image_name', 'actor_process_image_path', 'actor_process_command_line',
  'actor_process_image_sha256', 'actor_process_image_md5', 'actor_process_os_pid', 'actor_process_instance_id',
  'actor_process_signature_status', 'actor_process_signature_vendor', 'actor_primary_username',
  // the causality group owner
  'causality_actor_process_image_name', 'causality_actor_process_image_path', 'causality_actor_process_command_line',
  'causality_actor_process_image_sha256', 'causality_actor_primary_username', 'causality_actor_process_image_md5',
  'causality_actor_causality_id',
  // file and network actions
  'action_file_name', 'action_file_path', 'action_file_sha256', 'action_local_ip', 'action_local_port',
  'action_remote_ip', 'action_remote_port', 'action_external_hostname',
]);
