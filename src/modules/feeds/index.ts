// Change feeds (orderChanges, catalogChanges) over the domain events.
import { FeedResolver } from './feeds.resolver.js';
export const feedResolvers = [FeedResolver] as const;
export { feedRules } from './feeds.rules.js';
