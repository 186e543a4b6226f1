/** Reads synthesized CloudFormation values as text for assertions: `Fn::Join` of pseudo parameters becomes `<AWS::Region>` etc. */

export function renderValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const record = value as Record<string, unknown>;
  if (Array.isArray(record['Fn::Join'])) {
    const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
    return parts.map(renderValue).join(separator);
  }
  if (typeof record.Ref === 'string') return `<${record.Ref}>`;
  if (Array.isArray(record['Fn::GetAtt'])) return `<${(record['Fn::GetAtt'] as string[]).join('.')}>`;
  if (typeof record['Fn::ImportValue'] === 'string') return `<import:${record['Fn::ImportValue']}>`;
  return JSON.stringify(value);
}

export interface Statement {
  readonly Effect: string;
  readonly actions: string[];
  readonly resources: string[];
  readonly Condition?: unknown;
}

const list = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The statements of a policy document, with actions and resources as flat lists of text. */
export function statementsOf(document: unknown): Statement[] {
  const statements = list((document as { Statement?: unknown }).Statement) as Array<Record<string, unknown>>;
  return statements.map((s) => ({
    Effect: s.Effect as string,
    actions: list(s.Action).map(renderValue),
    resources: list(s.Resource).map(renderValue),
    ...(s.Condition !== undefined ? { Condition: s.Condition } : {}),
  }));
}
