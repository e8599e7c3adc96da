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
