// Telnet-style lines, as OpenTSDB's TSD reads them:
//   - LineBasedFrameDecoder(1024): lines end with \n or \r\n, at most 1024 bytes;
//   - WordSplitter: words split on every single space (two spaces make an empty word);
//   - the first word names the command (case-sensitive, RpcManager.lookupTelnetRpc);
//   - PutDataPointRpc.importDataPoint parses `put <metric> <timestamp> <value> <tagk=tagv>...`
//     and its errors are written back as one line: "put: <kind>: <message>\n"
//     (NumberFormatException -> "invalid value", IllegalArgumentException ->
//     "illegal argument"); success writes nothing.
// Lenient mode (hookline's default, see validate-point.ts) also accepts a put
// with no tags and a timestamp of 0 (= now).
// Pure: a line and a clock in, a point or the error line out.

import { javaMapString, looksLikeInteger, NumberFormatError, parseJavaLong } from './java-text.ts';
import { checkPoint, parseValue, type OpenTsdbMode, type ValidPoint } from './validate-point.ts';

/** LineBasedFrameDecoder(1024) in PipelineFactory. */
export const MAX_LINE_BYTES = 1024;

/** WordSplitter: split on ' ' only, keeping empty words. */
export function splitWords(line: string): string[] {
  return line.split(' ');
}

export type PutResult = { ok: true; point: ValidPoint } | { ok: false; error: string };

/** `put` words (words[0] = "put") -> a point, or the exact line OpenTSDB writes back (with "\n"). */
export function parsePut(words: string[], mode: OpenTsdbMode, nowMs: number): PutResult {
  try {
    return { ok: true, point: importDataPoint(words, mode, nowMs) };
  } catch (e) {
    if (e instanceof NumberFormatError) return { ok: false, error: `put: invalid value: ${e.message}\n` };
    if (e instanceof IllegalArgument) return { ok: false, error: `put: illegal argument: ${e.message}\n` };
    throw e;
  }
}

class IllegalArgument extends Error {}

function importDataPoint(words: string[], mode: OpenTsdbMode, nowMs: number): ValidPoint {
  const strict = mode === 'strict';
  // strict: metric timestamp value tag (5 words with "put"); lenient: tags optional.
  const need = strict ? 5 : 4;
  if (words.length < need) throw new IllegalArgument(`not enough arguments (need least ${need - 1}, got ${words.length - 1})`);
  const metric = words[1];
  if (metric.length <= 0) throw new IllegalArgument('empty metric name');
  // "1364410924.250" -> 1364410924250 ms: the dot is removed, as OpenTSDB does.
  const tsWord = words[2].includes('.') ? words[2].replaceAll('.', '') : words[2];
  let ts = Number(parseJavaLong(tsWord));
  if (strict ? ts <= 0 : ts < 0) throw new IllegalArgument(`invalid timestamp: ${ts}`);
  const valueWord = words[3];
  if (valueWord.length <= 0) throw new IllegalArgument('empty value');
  const tags: Array<[string, string]> = [];
  for (let i = 4; i < words.length; i++) if (words[i] !== '') parseTag(tags, words[i]);
  // Tags.looksLikeInteger -> parseLong, else Double.parseDouble: Java's messages.
  const value = strict || looksLikeInteger(valueWord) ? parseStrictValue(valueWord) : parseValue(valueWord, mode);
  if (ts === 0) ts = nowMs;
  const err = checkPoint(metric, ts, value, tags, mode);
  if (err) throw new IllegalArgument(err);
  return { metric, ms: ts < 4294967296 ? ts * 1000 : ts, value, tags };
}

function parseStrictValue(text: string): number {
  return parseValue(text, 'strict');
}

/** Tags.parse: exactly one '=', both sides non-empty; a repeated key must repeat its value. */
function parseTag(tags: Array<[string, string]>, tag: string): void {
  const kv = tag.split('=');
  if (kv.length !== 2 || kv[0].length <= 0 || kv[1].length <= 0) throw new IllegalArgument(`invalid tag: ${tag}`);
  const prev = tags.find((t) => t[0] === kv[0]);
  if (prev) {
    if (prev[1] === kv[1]) return;
    throw new IllegalArgument(`duplicate tag: ${tag}, tags=${javaMapString(tags)}`);
  }
  tags.push([kv[0], kv[1]]);
}
