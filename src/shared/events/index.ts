export { DomainEvent, EventConsumerState } from './event.entity.js';
export {
  actorOf,
  systemActor,
  recordEvents,
  recordEventsInFlush,
  readEvents,
  countEvents,
  encodeCursor,
  decodeCursor,
  type EventActor,
  type NewEvent,
  type StoredEvent,
  type EventCursor,
  type ReadOptions,
} from './events.js';
export { runConsumer, unhandledCount, type EventConsumer } from './consumer.js';
export { EVENT_CATALOGUE, eventTypeInfo, feedTypes, webhookTypes, type ChangeFeed, type EventType, type EventTypeInfo } from './catalogue.js';
export { currentActor, runWithActor, setScopeActor } from './actor-scope.js';
