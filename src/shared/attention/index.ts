export { AttentionItem } from './attention.entity.js';
export { ATTENTION_DEFAULTS, attentionDelayMs, backingOff, noteFailure, noteSuccess, notBackingOffSql, type AttentionPolicy, type FailureNote } from './attention.js';
