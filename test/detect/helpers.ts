import { analyzeCommandLine, type WmicAnalysis } from '../../lambda/detect/index.js';

/** Analyses a wmic.exe process-start row with the given command line. */
export function wmic(line: string, extra: Record<string, unknown> = {}): WmicAnalysis {
  return analyzeCommandLine({
    event_id: 'e1',
    agent_hostname: 'WKS-SRC-01',
    action_process_image_name: 'WMIC.exe',
    actor_process_image_name: 'cmd.exe',
    action_process_image_command_line: line,
    ...extra,
  });
}

/** Analyses a parent-shell row (the image is the shell itself). */
export function shell(image: string, line: string, extra: Record<string, unknown> = {}): WmicAnalysis {
  return wmic(line, { action_process_image_name: image, actor_process_image_name: 'explorer.exe', ...extra });
}

/** UTF-16LE base64, as powershell -EncodedCommand takes it. */
export function encodePs(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}
