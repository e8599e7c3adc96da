import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLSchema,
} from 'graphql';

/** A description that is only whitespace helps no reader: it counts as missing. */
function described(element: { description?: string | null | undefined }): boolean {
  return (element.description ?? '').trim().length > 0;
}

/**
 * Every element of the schema a client developer reads in the explorer, as a path:
 * `Type`, `Type.field`, `Type.field(arg)`, `Input.field`, `Enum.VALUE`. GraphQL's own scalars
 * and introspection types are not ours to describe.
 */
export function schemaElements(schema: GraphQLSchema): { path: string; described: boolean }[] {
  const out: { path: string; described: boolean }[] = [];
  const args = (owner: string, list: readonly GraphQLArgument[]) => {
    for (const a of list) out.push({ path: `${owner}(${a.name})`, described: described(a) });
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    out.push({ path: type.name, described: described(type) });
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
        const path = `${type.name}.${field.name}`;
        out.push({ path, described: described(field) });
        args(path, field.args);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()) as GraphQLInputField[]) {
        out.push({ path: `${type.name}.${field.name}`, described: described(field) });
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) out.push({ path: `${type.name}.${value.name}`, described: described(value) });
    }
  }
  return out;
}

export function missingDescriptions(schema: GraphQLSchema): string[] {
  return schemaElements(schema)
    .filter((e) => !e.described)
    .map((e) => e.path)
    .sort();
}

export function countElements(schema: GraphQLSchema): number {
  return schemaElements(schema).length;
}
