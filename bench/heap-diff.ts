import { readFileSync } from 'node:fs';

/**
 * Compares two V8 heap snapshots of one process (the memory run writes them with
 * BENCH_HEAP_SNAPSHOT_DIR, bench/memory.ts): the objects alive in the later one that were not in
 * the earlier one (V8 keeps an object's snapshot id for the process's life), grouped by
 * constructor, with their count and own size, and a retainer chain for a few of the largest
 * groups — what a per-request leak would show as thousands of one kind held by one root.
 *
 *   node --max-old-space-size=4096 --import tsx bench/heap-diff.ts <earlier.heapsnapshot> <later.heapsnapshot> [rows] [chains]
 */

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]]; edge_fields: string[]; edge_types: [string[], ...unknown[]] }; node_count: number };
  nodes: number[];
  edges: number[];
  strings: string[];
}

interface Parsed {
  raw: Snapshot;
  nodeWidth: number;
  edgeWidth: number;
  firstEdge: Uint32Array;
  at(i: number): { type: string; name: string; id: number; selfSize: number };
  key(i: number): string;
}

function parse(file: string): Parsed {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const m = raw.snapshot.meta;
  const nodeWidth = m.node_fields.length;
  const edgeWidth = m.edge_fields.length;
  const [fType, fName, fId, fSize, fEdges] = ['type', 'name', 'id', 'self_size', 'edge_count'].map((f) => m.node_fields.indexOf(f)) as [number, number, number, number, number];
  const count = raw.nodes.length / nodeWidth;
  const firstEdge = new Uint32Array(count + 1);
  for (let i = 0, e = 0; i < count; i++) {
    firstEdge[i] = e;
    e += raw.nodes[i * nodeWidth + fEdges]! * edgeWidth;
    firstEdge[i + 1] = e;
  }
  const types = m.node_types[0];
  const at = (i: number) => ({
    type: types[raw.nodes[i * nodeWidth + fType]!]!,
    name: raw.strings[raw.nodes[i * nodeWidth + fName]!]!,
    id: raw.nodes[i * nodeWidth + fId]!,
    selfSize: raw.nodes[i * nodeWidth + fSize]!,
  });
  const key = (i: number) => {
    const n = at(i);
    switch (n.type) {
      case 'object':
        return n.name;
      case 'string':
      case 'concatenated string':
      case 'sliced string':
        return `(${n.type})`;
      case 'closure':
        return `(closure) ${n.name || '<anonymous>'}`;
      case 'code':
      case 'number':
        return `(${n.type})`;
      default:
        return `(${n.type}) ${n.name.slice(0, 60)}`;
    }
  };
  return { raw, nodeWidth, edgeWidth, firstEdge, at, key };
}

const [earlierFile, laterFile, rowsArg, chainsArg] = process.argv.slice(2);
if (!earlierFile || !laterFile) throw new Error('usage: heap-diff.ts <earlier.heapsnapshot> <later.heapsnapshot> [rows] [chains]');
const rows = Number(rowsArg ?? 40);
const chains = Number(chainsArg ?? 5);

const earlierIds = new Set<number>();
{
  const a = parse(earlierFile);
  const count = a.raw.nodes.length / a.nodeWidth;
  for (let i = 0; i < count; i++) earlierIds.add(a.at(i).id);
  console.log(`${earlierFile}: ${count} objects`);
}
const b = parse(laterFile);
const count = b.raw.nodes.length / b.nodeWidth;
console.log(`${laterFile}: ${count} objects`);

const groups = new Map<string, { count: number; size: number; sample: number[] }>();
let newCount = 0;
let newSize = 0;
for (let i = 0; i < count; i++) {
  const n = b.at(i);
  if (earlierIds.has(n.id)) continue;
  newCount++;
  newSize += n.selfSize;
  const k = b.key(i);
  const g = groups.get(k) ?? { count: 0, size: 0, sample: [] };
  g.count++;
  g.size += n.selfSize;
  if (g.sample.length < 3) g.sample.push(i);
  groups.set(k, g);
}
console.log(`\nalive in the later snapshot and not in the earlier one: ${newCount} objects, ${(newSize / 1024 / 1024).toFixed(2)} MB own size\n`);
const sorted = [...groups.entries()].sort((x, y) => y[1].size - x[1].size).slice(0, rows);
for (const [k, g] of sorted) console.log(`${String(g.count).padStart(9)} ${(g.size / 1024).toFixed(0).padStart(9)} kB  ${k}`);

// One retainer per object (the first strong edge that points at it), to walk up from a sample.
const edgeTypes = b.raw.snapshot.meta.edge_types[0];
const eType = b.raw.snapshot.meta.edge_fields.indexOf('type');
const eName = b.raw.snapshot.meta.edge_fields.indexOf('name_or_index');
const eTo = b.raw.snapshot.meta.edge_fields.indexOf('to_node');
const retainer = new Int32Array(count).fill(-1);
const retainerEdge = new Int32Array(count).fill(-1);
for (let i = 0; i < count; i++) {
  for (let e = b.firstEdge[i]!; e < b.firstEdge[i + 1]!; e += b.edgeWidth) {
    const type = edgeTypes[b.raw.edges[e + eType]!]!;
    if (type === 'weak' || type === 'shortcut') continue;
    const to = b.raw.edges[e + eTo]! / b.nodeWidth;
    if (retainer[to] === -1 && to !== i) {
      retainer[to] = i;
      retainerEdge[to] = e;
    }
  }
}
const edgeLabel = (e: number) => {
  const type = edgeTypes[b.raw.edges[e + eType]!]!;
  const v = b.raw.edges[e + eName]!;
  return type === 'element' || type === 'hidden' ? `[${v}]` : `.${b.raw.strings[v]}`;
};
for (const [k, g] of sorted.slice(0, chains)) {
  console.log(`\nretained by (${k}, one of ${g.count}):`);
  let i = g.sample[g.sample.length - 1]!;
  for (let depth = 0; depth < 16 && retainer[i] !== -1; depth++) {
    const via = edgeLabel(retainerEdge[i]!);
    i = retainer[i]!;
    const n = b.at(i);
    console.log(`  ${via} of ${b.key(i)} @${n.id}${earlierIds.has(n.id) ? '' : ' (new)'}`);
  }
}
