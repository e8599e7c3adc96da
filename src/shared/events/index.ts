export { DomainEvent, EventConsumerState } from './event.entity.js';
export {
  actorOf,
  systemActor,
  recordEvents,
  readEvents,
  encodeCursor,
  decodeCursor,
  type EventActor,
  type NewEvent,
  type StoredEvent,
  type EventCursor,
  type ReadOptions,
} from './events.js';
export { runConsumer, unhandledCount, type EventConsumer } from './consumer.js';
