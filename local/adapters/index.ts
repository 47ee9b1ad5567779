/**
 * Adapters only local runs and tests use: credentials given on the command line or a file, a
 * console sink for notifications, and an embedded file store with DynamoDB's semantics.
 * Nothing in lambda/ imports them, so none of this is in the Lambda bundle.
 */
export { StaticCredentials } from './static-credentials.js';
export { ConsoleNotifier, type ConsoleNotifierOptions, type ConsoleSent } from './console-notifier.js';
export { FileStateStore, type FileStateStoreOptions } from './file-store.js';
export { MemoryQuerySlots } from './memory-query-slots.js';
