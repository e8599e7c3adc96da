import { accessRules } from '../../shared/access/index.js';
import { HELP_ACCESS } from './help.access.js';

const allowed = accessRules('help', HELP_ACCESS);

/** Help articles: sellers read (published only, by the service's filter), operator writers write. */
export const helpRules = {
  Query: { faqArticles: allowed.readFaq },
  Mutation: { createFaqArticle: allowed.writeFaq, updateFaqArticle: allowed.writeFaq },
  FaqArticle: { '*': allowed.readFaq },
};
