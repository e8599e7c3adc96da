import { Migration } from '@mikro-orm/migrations';

/**
 * Integration tokens used to show their first 12 characters, 8 of which were part of the
 * secret. Tokens issued from now on carry a random handle before the secret instead; the
 * characters kept for the older ones are cut back to the readable `mki_`, so nothing of a
 * secret stays readable at rest. (The tokens themselves keep working: only their hash counts.)
 */
export class Migration20261206193334_integration_token_handle extends Migration {
  override async up(): Promise<void> {
    this.addSql(`update "integration" set "token_prefix" = 'mki_';`);
  }

  override async down(): Promise<void> {
    // What was cut cannot be restored; the shorter prefix is valid for the old code too.
  }
}
