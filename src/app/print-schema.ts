import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildBareSchema } from './schema.js';

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema/schema.graphql');

/** `npm run schema:print` writes schema/schema.graphql; `--check` fails when it is stale. */
async function main() {
  const printed =
    '# Printed by `npm run schema:print` from the type-graphql classes. Do not edit by hand.\n\n' +
    printSchema(lexicographicSortSchema(await buildBareSchema())) +
    '\n';
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (current !== printed) {
      console.error('schema/schema.graphql is stale: run `npm run schema:print` and commit it.');
      process.exit(1);
    }
    console.log('schema/schema.graphql is up to date.');
    return;
  }
  writeFileSync(file, printed);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
