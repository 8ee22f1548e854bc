/** Rows scanned from the start of a text, and where the rows it completed end. */
export interface ScannedRows {
  rows: string[][];
  /** Offset just past the last complete row (the rest waits for more input). */
  cursor: number;
}

const QUOTE = 34;
const COMMA = 44;

/** Adds a row, unless it is an empty line (Papa Parse's `skipEmptyLines: true`). */
function keep(rows: string[][], row: string[]): void {
  if (row.length !== 1 || row[0] !== '') rows.push(row);
}

/**
 * Splits comma-separated text into rows as Papa Parse's parser does for one call (`skipEmptyLines:
 * true`, `"` quotes, `""` escapes, `newline` the file's line end), a row at a time with string
 * searches: a quoted value is found with indexOf('"') and unescaped only when it holds `""`.
 * Papa numbers nothing, checks nothing and scans each row several times; the audit event file
 * (long JSON payloads in quotes, a million rows) is where that cost shows.
 *
 * With `partial`, an incomplete last row (a quote still open, no line end yet) is left for the
 * next call, as Papa's `ignoreLastRow` leaves it. Returns null for what only Papa words or
 * accepts: an unterminated quote at the end of the input, and a closing quote followed by
 * anything but a comma, a line end or the end (spaces Papa skips, or a malformed quote it
 * reports); the caller then parses the same text with Papa, so every row and error is Papa's.
 */
export function scanCsvRows(
  text: string,
  newline: '\n' | '\r\n',
  partial: boolean
): ScannedRows | null {
  const length = text.length;
  const rows: string[][] = [];
  let cursor = 0;
  if (length === 0) return { rows, cursor };
  const lineEnd = newline.charCodeAt(0);
  const crlf = newline.length === 2;
  let pos = 0;
  let comma = text.indexOf(',');
  let line = text.indexOf(newline);
  let row: string[] = [];
  for (;;) {
    if (text.charCodeAt(pos) === QUOTE) {
      let close = text.indexOf('"', pos + 1);
      // A value with `""` in it is joined from the text around them as they are found (a
      // replace over the value afterwards cost more than finding its quotes).
      let escaped = '';
      let from = pos + 1;
      while (close >= 0 && close + 1 < length && text.charCodeAt(close + 1) === QUOTE) {
        escaped += text.slice(from, close + 1);
        from = close + 2;
        close = text.indexOf('"', from);
      }
      if (close < 0 || close === length - 1) {
        if (partial) return { rows, cursor };
        if (close < 0) return null;
        row.push(escaped + text.slice(from, close));
        keep(rows, row);
        return { rows, cursor: length };
      }
      const after = text.charCodeAt(close + 1);
      if (after === COMMA) {
        row.push(escaped + text.slice(from, close));
        pos = close + 2;
      } else if (after === lineEnd && (!crlf || text.charCodeAt(close + 2) === 10)) {
        row.push(escaped + text.slice(from, close));
        keep(rows, row);
        row = [];
        pos = cursor = close + 1 + newline.length;
      } else return null;
      // Commas and line ends inside the quotes were no field or row ends.
      if (comma >= 0 && comma < pos) comma = text.indexOf(',', pos);
      if (line >= 0 && line < pos) line = text.indexOf(newline, pos);
      continue;
    }
    if (comma >= 0 && (comma < line || line < 0)) {
      row.push(text.slice(pos, comma));
      pos = comma + 1;
      comma = text.indexOf(',', pos);
    } else if (line >= 0) {
      row.push(text.slice(pos, line));
      keep(rows, row);
      row = [];
      pos = cursor = line + newline.length;
      line = text.indexOf(newline, pos);
    } else {
      // No comma and no line end left: the input's last value.
      if (partial) return { rows, cursor };
      row.push(text.slice(pos));
      keep(rows, row);
      return { rows, cursor: length };
    }
  }
}
