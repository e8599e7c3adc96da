import 'reflect-metadata';
import { loadConfig } from '../config.js';
import { startDatabase } from '../shared/db/database.js';
import { migrate } from '../shared/db/orm.js';
import { openAppOrm } from './entities.js';

/**
 * `npm run migration:create [name]` diffs the entities against a database migrated to the
 * latest migration and writes the difference to migrations/. `npm run migration:up` applies
 * pending ones. Both use DATABASE_URL, or the embedded database under DATA_DIR.
 */
async function main() {
  const [command, name] = process.argv.slice(2);
  const config = loadConfig();
  const db = await startDatabase(config);
  const orm = await openAppOrm({ clientUrl: db.url });
  try {
    const ran = await migrate(orm);
    if (ran.length) console.log(`applied: ${ran.join(', ')}`);
    if (command === 'create') {
      const result = await orm.getMigrator().createMigration(undefined, false, false, name);
      console.log(result.fileName ? `created migrations/${result.fileName}` : 'no changes: entities match the migrations');
    }
  } finally {
    await orm.close(true);
    await db.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
