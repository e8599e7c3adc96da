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
export interface SchemaElement {
  path: string;
  /** The element's own name: the type, field, argument or enum value name. */
  name: string;
  description: string;
  described: boolean;
}

export function schemaElements(schema: GraphQLSchema): SchemaElement[] {
  const out: SchemaElement[] = [];
  const push = (path: string, name: string, element: { description?: string | null | undefined }) =>
    out.push({ path, name, description: element.description ?? '', described: described(element) });
  const args = (owner: string, list: readonly GraphQLArgument[]) => {
    for (const a of list) push(`${owner}(${a.name})`, a.name, a);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    push(type.name, type.name, type);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
        const path = `${type.name}.${field.name}`;
        push(path, field.name, field);
        args(path, field.args);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()) as GraphQLInputField[]) {
        push(`${type.name}.${field.name}`, field.name, field);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) push(`${type.name}.${value.name}`, value.name, value);
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

/** Lower-case words of an identifier: `sellerCode` and `SELLER_CODE` are both "seller code". */
const words = (s: string) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .toLowerCase();

/** Words that add nothing to a name: "The order id." says no more than `orderId`. */
const NOISE = new Set(['the', 'a', 'an', 'its', 'this', 'of', 'field', 'value', 'argument', 'type', 'id', 'ids', 'code']);

/**
 * Descriptions that say nothing beyond the element's name: "The id.", "Name", "The status
 * field", "The order." on `orderId`. Generated filler of this kind passes a presence check and helps no reader.
 */
export function fillerDescriptions(schema: GraphQLSchema): string[] {
  return schemaElements(schema)
    .filter((e) => e.described)
    .filter((e) => {
      const said = words(e.description).split(' ').filter((w) => !NOISE.has(w));
      const named = new Set(words(e.name).split(' ').filter((w) => !NOISE.has(w)));
      return said.length <= 3 && said.every((w) => named.has(w) || named.has(w.replace(/s$/, '')));
    })
    .map((e) => `${e.path}: ${JSON.stringify(e.description)}`)
    .sort();
}

export function countElements(schema: GraphQLSchema): number {
  return schemaElements(schema).length;
}
