import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The import rules (doors, cycles, floor, test doubles) are checked by dependency-cruiser
// (`npm run check:boundaries`); this is about the doors' own text.

const root = path.resolve(import.meta.dirname, '..');

describe('module doors', () => {
  const doors = readdirSync(path.join(root, 'src/modules')).map((m) => path.join(root, 'src/modules', m, 'index.ts'));

  it('every module has an index.ts', () => {
    for (const door of doors) expect(statSync(door).isFile(), door).toBe(true);
  });

  it('name what they export: no `export *` from internal files', () => {
    const offenders: string[] = [];
    for (const door of doors) {
      const file = ts.createSourceFile(door, readFileSync(door, 'utf8'), ts.ScriptTarget.ES2022, false);
      for (const st of file.statements) {
        if (ts.isExportDeclaration(st) && !st.exportClause) offenders.push(`${path.relative(root, door)}: ${st.getText(file)}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
