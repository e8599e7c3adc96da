import { or } from 'graphql-shield';
import { accessRules } from '../../shared/access/index.js';
import { FEEDS_ACCESS } from './feeds.access.js';

const allowed = accessRules('feeds', FEEDS_ACCESS);

/** Entries reach a caller only through a feed query, which already scoped them to its seller. */
export const feedRules = {
  Query: { orderChanges: allowed.readOrderChanges, catalogChanges: allowed.readCatalogChanges },
  Change: { '*': or(allowed.readOrderChanges, allowed.readCatalogChanges) },
};
