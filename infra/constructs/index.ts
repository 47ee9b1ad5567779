export { XsiamSecret } from './xsiam-secret.js';
export { NotificationTopics } from './notification-topics.js';
export { HuntTable } from './hunt-table.js';
export { HuntSchedule } from './hunt-schedule.js';
export { HuntFunction } from './hunt-function.js';
export { HuntDashboard } from './hunt-dashboard.js';
export { HealthAlarms } from './health-alarms.js';
export { BackfillStateMachine, BACKFILL_MAX_CONCURRENCY } from './backfill-state-machine.js';
export { ShadowReportRule } from './shadow-report-rule.js';
