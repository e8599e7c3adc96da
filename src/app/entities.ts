import { BankData, MarketplaceSettings, Seller } from '../modules/sellers/sellers.entity.js';
import { PasswordResetToken, Session, User } from '../modules/auth/auth.entity.js';
import { Integration } from '../modules/integrations/integrations.entity.js';
import { BaseEntity } from '../shared/db/base.entity.js';
import { OutboxMessage } from '../shared/outbox/outbox.entity.js';

/** Every entity of the app; MikroORM discovers exactly these. */
export const entities = [BaseEntity, BankData, Seller, MarketplaceSettings, User, Session, PasswordResetToken, Integration, OutboxMessage];
