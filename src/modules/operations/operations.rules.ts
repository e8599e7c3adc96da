import { allow } from 'graphql-shield';
import { operator } from '../../shared/access/index.js';

/** What needs a person is the store operator's business: any operator staff role may look. */
export const operationsRules = {
  Query: { attentionItems: operator() },
  AttentionItem: { '*': allow },
};
