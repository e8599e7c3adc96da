import { BankData, MarketplaceSettings, Seller } from '../modules/sellers/sellers.entity.js';
import { PasswordResetToken, Session, User } from '../modules/auth/auth.entity.js';
import { Integration } from '../modules/integrations/integrations.entity.js';
import { BaseEntity } from '../shared/db/base.entity.js';
import { Brand, Category, Color, Size, Tag } from '../modules/catalog/attributes.entity.js';
import { KitComponent, Product, ProductLink, Sku } from '../modules/catalog/catalog.entity.js';
import { ProductQuestion, ProductReview } from '../modules/catalog/reviews.entity.js';
import { OutboxMessage } from '../shared/outbox/outbox.entity.js';

/** Every entity of the app; MikroORM discovers exactly these. */
export const entities = [BaseEntity, BankData, Seller, MarketplaceSettings, User, Session, PasswordResetToken, Integration, OutboxMessage,
  Category, Brand, Color, Size, Tag, Product, Sku, KitComponent, ProductLink, ProductReview, ProductQuestion];
