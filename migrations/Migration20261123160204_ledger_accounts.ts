import { Migration } from '@mikro-orm/migrations';

export class Migration20261123160204_ledger_accounts extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "ledger_line" drop constraint if exists "ledger_line_account_check";`);
    // Operator-funded discounts are now a contra-revenue line on commission: the same debit.
    this.addSql(`update "ledger_line" set "account" = 'COMMISSION_REVENUE' where "account" = 'PROMOTION_EXPENSE';`);

    this.addSql(`alter table "ledger_line" add constraint "ledger_line_account_check" check("account" in ('CUSTOMER', 'PAYMENT_PROVIDER', 'SELLER_PAYABLE', 'COMMISSION_REVENUE', 'FREIGHT_REVENUE', 'GIFT_CARD'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "ledger_line" drop constraint if exists "ledger_line_account_check";`);

    this.addSql(`alter table "ledger_line" add constraint "ledger_line_account_check" check("account" in ('CUSTOMER', 'PAYMENT_PROVIDER', 'SELLER_PAYABLE', 'COMMISSION_REVENUE', 'FREIGHT_REVENUE', 'PROMOTION_EXPENSE', 'GIFT_CARD'));`);
  }

}
