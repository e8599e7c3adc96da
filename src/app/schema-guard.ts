import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema, type GraphQLSchema } from 'graphql';

/**
 * The schema guard (CI): clients generate code from the schema, so a change that breaks them
 * must be deliberate. `schema/released.graphql` is the schema of the last release (replaced on
 * purpose when a version is cut); every breaking difference between it and
 * `schema/schema.graphql` must be listed in `schema/BREAKING_CHANGES.md` with its reason, and
 * every deprecation must say the version it will be removed in. Reads only committed files, so
 * it works in a shallow clone.
 */

export interface GuardResult {
  /** Breaking changes no line of the changelog records. */
  unrecorded: Change[];
  /** Deprecations whose reason does not name the version that removes them. */
  undatedDeprecations: string[];
  breaking: Change[];
}

/** `| path | type | reason | version |` rows of the changelog's table. */
export function recordedChanges(changelog: string): Set<string> {
  const keys = new Set<string>();
  for (const line of changelog.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 6 || !cells[1] || cells[1] === 'path' || /^-+$/.test(cells[1])) continue;
    keys.add(`${cells[1].replace(/`/g, '')} ${cells[2]!.replace(/`/g, '')}`);
  }
  return keys;
}

const REMOVAL_RE = /removed? in v?\d+\.\d+(\.\d+)?/i;

function deprecations(schema: GraphQLSchema): { where: string; reason: string }[] {
  const out: { where: string; reason: string }[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const fields = 'getFields' in type ? (type.getFields() as Record<string, { deprecationReason?: string | null; args?: readonly { name: string; deprecationReason?: string | null }[] }>) : {};
    for (const [name, field] of Object.entries(fields)) {
      if (field.deprecationReason) out.push({ where: `${type.name}.${name}`, reason: field.deprecationReason });
      for (const arg of field.args ?? []) if (arg.deprecationReason) out.push({ where: `${type.name}.${name}(${arg.name})`, reason: arg.deprecationReason });
    }
    if ('getValues' in type) for (const v of type.getValues()) if (v.deprecationReason) out.push({ where: `${type.name}.${v.name}`, reason: v.deprecationReason });
  }
  return out;
}

export async function guard(released: string, current: string, changelog: string): Promise<GuardResult> {
  const next = buildSchema(current);
  const changes = await diff(buildSchema(released), next);
  const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
  const recorded = recordedChanges(changelog);
  return {
    breaking,
    unrecorded: breaking.filter((c) => !recorded.has(`${c.path ?? ''} ${c.type}`)),
    undatedDeprecations: deprecations(next)
      .filter((d) => !REMOVAL_RE.test(d.reason))
      .map((d) => `${d.where}: "${d.reason}"`),
  };
}

async function main() {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema');
  const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
  const result = await guard(read('released.graphql'), read('schema.graphql'), read('BREAKING_CHANGES.md'));
  console.log(`schema guard: ${result.breaking.length} breaking change(s) since the released schema, ${result.breaking.length - result.unrecorded.length} recorded.`);
  for (const c of result.unrecorded) console.error(`  unrecorded breaking change: | \`${c.path}\` | \`${c.type}\` | ${c.message}`);
  for (const d of result.undatedDeprecations) console.error(`  deprecation without a removal version: ${d}`);
  if (result.unrecorded.length || result.undatedDeprecations.length) {
    console.error('Record each breaking change in schema/BREAKING_CHANGES.md (path, type, reason, version), or undo it; deprecations say "Removed in X.Y".');
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
