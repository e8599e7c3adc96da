import { BankData, MarketplaceSettings, Seller } from '../modules/sellers/sellers.entity.js';
import { PasswordResetToken, Session, User } from '../modules/auth/auth.entity.js';
import { Integration } from '../modules/integrations/integrations.entity.js';
import { BaseEntity } from '../shared/db/base.entity.js';
import { Brand, Category, Color, Size, Tag } from '../modules/catalog/attributes.entity.js';
import { KitComponent, Product, ProductLink, Sku } from '../modules/catalog/catalog.entity.js';
import { ProductQuestion, ProductReview } from '../modules/catalog/reviews.entity.js';
import { cartEntities } from '../modules/carts/index.js';
import { shippingEntities } from '../modules/shipping/index.js';
import { promotionEntities } from '../modules/promotions/index.js';
import { financeEntities } from '../modules/finance/index.js';
import { paymentEntities } from '../modules/payments/index.js';
import { fraudEntities } from '../modules/fraud/index.js';
import { orderEntities } from '../modules/orders/index.js';
import { checkoutEntities } from '../modules/checkout/index.js';
import { OutboxMessage } from '../shared/outbox/outbox.entity.js';

/** Every entity of the app; MikroORM discovers exactly these. */
export const entities = [BaseEntity, BankData, Seller, MarketplaceSettings, User, Session, PasswordResetToken, Integration, OutboxMessage,
  Category, Brand, Color, Size, Tag, Product, Sku, KitComponent, ProductLink, ProductReview, ProductQuestion,
  ...cartEntities, ...shippingEntities, ...promotionEntities, ...financeEntities, ...paymentEntities, ...fraudEntities, ...orderEntities, ...checkoutEntities];
