import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the query selects `path` under the field being resolved (through fragments and
 * inline fragments; a field under @include/@skip counts as selected). Lets a list fetch what
 * its children will read in its own statement — and skip what nobody asked for.
 */
export function selects(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): boolean {
  const within = (set: SelectionSetNode | undefined, rest: readonly string[]): boolean => {
    if (!set) return false;
    if (!rest.length) return true;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD && s.name.value === rest[0] && within(s.selectionSet ?? emptySet(rest), rest.slice(1))) return true;
      if (s.kind === Kind.INLINE_FRAGMENT && within(s.selectionSet, rest)) return true;
      if (s.kind === Kind.FRAGMENT_SPREAD && within(info.fragments[s.name.value]?.selectionSet, rest)) return true;
    }
    return false;
  };
  return info.fieldNodes.some((f: FieldNode) => within(f.selectionSet, path));
}

// A leaf field has no selection set: it matches when it is the path's last step.
const emptySet = (rest: readonly string[]): SelectionSetNode | undefined => (rest.length === 1 ? { kind: Kind.SELECTION_SET, selections: [] } : undefined);

/**
 * The names of the fields the query selects at `path` under the field being resolved (through
 * fragments, inline fragments and aliases; @include/@skip ignored, so never fewer than asked),
 * or null when nothing is selected there. What a read uses to choose its columns.
 */
export function fieldsAt(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): Set<string> | null {
  let sets: SelectionSetNode[] = info.fieldNodes.flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
  for (const step of path) {
    const next: SelectionSetNode[] = [];
    for (const f of fieldsOf(info, sets)) if (f.name.value === step && f.selectionSet) next.push(f.selectionSet);
    if (!next.length) return null;
    sets = next;
  }
  return new Set(fieldsOf(info, sets).map((f) => f.name.value));
}

function fieldsOf(info: Pick<GraphQLResolveInfo, 'fragments'>, sets: readonly SelectionSetNode[], seen = new Set<string>()): FieldNode[] {
  const out: FieldNode[] = [];
  for (const set of sets) {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) out.push(s);
      else if (s.kind === Kind.INLINE_FRAGMENT) out.push(...fieldsOf(info, [s.selectionSet], seen));
      else if (!seen.has(s.name.value)) {
        // A fragment spread twice is read once (and a cycle, which validation refuses anyway, ends).
        seen.add(s.name.value);
        const fragment = info.fragments[s.name.value];
        if (fragment) out.push(...fieldsOf(info, [fragment.selectionSet], seen));
      }
    }
  }
  return out;
}
