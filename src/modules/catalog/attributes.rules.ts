import { anyone } from '../../shared/access/index.js';
import { attributeWriter } from './catalog.rules.js';

/**
 * Store attributes: everybody reads them (storefront filters, seller portals, ERPs);
 * only `attributeWriter` changes them. The attribute object types' own fields are opened in
 * catalog.rules.ts, where products first exposed them.
 */
export const attributeRules = {
  Query: {
    categories: anyone,
    category: anyone,
    brands: anyone,
    colors: anyone,
    sizes: anyone,
    tags: anyone,
  },
  Mutation: {
    createCategory: attributeWriter,
    updateCategory: attributeWriter,
    deleteCategory: attributeWriter,
    createBrand: attributeWriter,
    updateBrand: attributeWriter,
    deleteBrand: attributeWriter,
    createColor: attributeWriter,
    updateColor: attributeWriter,
    deleteColor: attributeWriter,
    createSize: attributeWriter,
    updateSize: attributeWriter,
    deleteSize: attributeWriter,
    createTag: attributeWriter,
    updateTag: attributeWriter,
    deleteTag: attributeWriter,
  },
};
