/**
 * `explain --state DIR`: the detector's answer with the history reasons a run would add, read from
 * the embedded store's history in DIR (judged as of today: only earlier days count).
 */
import { defaultRunSettings } from '../../lambda/config.js';
import { analyzeCommandLine, type WmicAnalysis } from '../../lambda/detect/index.js';
import { applyHistory, dayOf, daysInBaseline, hostName, subjectName, type HistorySettings, type HistoryStatus, type HuntHistory, type SubjectHistory } from '../../lambda/history/index.js';
import type { HuntDefinition } from '../../lambda/hunts/index.js';
import type { StateStore } from '../../lambda/ports.js';
import type { ExplainOutput } from './explain.js';

/** Where the history comes from and how it is judged. */
export interface HistoryLens {
  readonly store: StateStore;
  readonly hunt: HuntDefinition;
  /** @default the run settings' defaults */
  readonly settings?: HistorySettings;
  readonly now: () => number;
}

/** One subject as the history knows it. */
export interface SubjectView {
  readonly name: string;
  /** Distinct days seen inside the baseline (before today). */
  readonly daysInBaseline: number;
  readonly targetCount: number;
}

export interface ExplainHistory {
  readonly status: HistoryStatus;
  readonly source: SubjectView | null;
  readonly user: SubjectView | null;
}

function view(s: SubjectHistory | undefined, today: number, settings: HistorySettings): SubjectView | null {
  return s === undefined ? null : { name: s.name, daysInBaseline: daysInBaseline(s.days, today, settings.historyBaselineDays), targetCount: s.targetCount };
}

/** `o` with history reasons applied (score and severity re-derived) and a `history` field. */
export async function withHistory(o: ExplainOutput, a: WmicAnalysis, lens: HistoryLens): Promise<ExplainOutput & { history: ExplainHistory }> {
  const settings = lens.settings ?? defaultRunSettings();
  const now = lens.now();
  const today = dayOf(now);
  const host = a.sourceHost === null ? null : hostName(a.sourceHost);
  const user = subjectName(a.user);
  const history: HuntHistory = await lens.store.readHistory(lens.hunt.id, { hosts: host === null ? [] : [host], users: user === null ? [] : [user] }, now);
  const facts = { source: view(host === null ? undefined : history.hosts.get(host), today, settings), user: view(user === null ? undefined : history.users.get(user), today, settings) };
  if (o.riskScore === null || o.severity === null) {
    return { ...o, history: { status: applyHistory([], history, settings, today).status, ...facts } };
  }
  const judged = { sourceHost: a.sourceHost ?? '', user: a.user, riskScore: o.riskScore, severity: o.severity, reasons: o.reasons };
  const { findings: [f], status } = applyHistory([judged], history, settings, today);
  return { ...o, riskScore: f?.riskScore ?? o.riskScore, severity: f?.severity ?? o.severity, reasons: f?.reasons ?? o.reasons, history: { status, ...facts } };
}

/** explain's JSONL answer for one line, with history (answers that are errors or not remote pass as they are). */
export async function explainLineWithHistory(line: string, answer: string, lens: HistoryLens): Promise<string> {
  const parsed = JSON.parse(answer) as ExplainOutput & { error?: string };
  if (parsed.error !== undefined || parsed.remoteExec !== true) return answer;
  const analysis = analyzeCommandLine(JSON.parse(line) as Record<string, unknown>);
  return JSON.stringify(await withHistory(parsed, analysis, lens));
}

/** The readable lines `explain 'cmd' --state DIR` adds. */
export function renderHistory(h: ExplainHistory): string {
  const who = (label: string, s: SubjectView | null): string =>
    `${label}: ${s === null ? 'never seen' : `${s.name} seen on ${s.daysInBaseline} of the last ${h.status.baselineDays} days, ${s.targetCount} distinct target(s)`}`;
  const status = h.status.warmingUp
    ? `warming up (${h.status.coveredDays} of ${h.status.minCoverageDays} days covered): no history reasons yet`
    : `${h.status.coveredDays} of the last ${h.status.baselineDays} days covered`;
  return [`history      : ${status}`, `  ${who('source', h.source)}`, `  ${who('user', h.user)}`].join('\n') + '\n';
}
