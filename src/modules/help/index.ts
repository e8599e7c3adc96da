// Help for sellers: FAQ articles by topic. Support tickets to the operator are in tickets.
import { FaqArticle } from './help.entity.js';
import { HelpResolver } from './help.resolver.js';
import { helpRules as rules } from './help.rules.js';

export const helpResolvers: readonly (abstract new (...args: never[]) => unknown)[] = [HelpResolver];
export const helpRules: Record<string, Record<string, unknown>> = rules;
export const helpEntities: readonly (abstract new (...args: never[]) => unknown)[] = [FaqArticle];
