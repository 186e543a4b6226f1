/** Reads the CSV exports the browser tests download. */

/** RFC 4180: fields split on commas outside double quotes, "" inside quotes is one quote, rows end with CRLF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    const next = text[i + 1];
    if (quoted && char === '"' && next === '"') {
      field += '"';
      i++;
    } else if (char === '"') quoted = !quoted;
    else if (quoted) field += char;
    else if (char === ',') endField();
    else if (char === '\r' && next === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else field += char;
  }
  if (quoted || field !== '' || row.length > 0) throw new Error('the CSV does not end with a complete row');
  return rows;
}
