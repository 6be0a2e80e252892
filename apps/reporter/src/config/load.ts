import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { CliError, isSystemError } from '../_errors.js';
import { CONFIG_FILE_NAME, configSchema } from './schema.js';
import { formatProblem, position, problemsOf, SECRET_NOTE, type ConfigProblem } from './_problems.js';

/** A resource's settings in the file (`resources.<name>`). */
export interface ResourceConfig {
  readonly key?: readonly string[];
  readonly volatile?: readonly string[];
  readonly ignore?: readonly string[];
  readonly includeCompleted?: boolean;
  readonly includeDraft?: boolean;
}

/** `balkan-audit.config.json` as validated against config.schema.json. */
export interface AuditConfig {
  readonly tenant?: string;
  readonly baseUrl?: string;
  readonly dir?: string;
  readonly formats?: readonly ('md' | 'html' | 'json')[];
  readonly resources?: Readonly<Record<string, ResourceConfig>>;
  readonly severity?: Readonly<Record<string, 'low' | 'medium' | 'high' | 'off'>>;
}

export interface LoadedConfig {
  /** The file read, or null when there is none (no `--config`, no file in the repository). */
  readonly file: string | null;
  readonly config: AuditConfig;
}

export interface FindConfigOptions {
  /** `--config FILE`, relative to `cwd`. */
  readonly config?: string | undefined;
  /** The audit repository, whose top level may hold balkan-audit.config.json. */
  readonly repo: string;
  readonly cwd: string;
}

/**
 * The configuration a command runs with: `--config FILE` (which must exist: CONFIG_NOT_FOUND),
 * else `<repo>/balkan-audit.config.json` when there is one, else none. Read and validated before
 * anything else happens; any problem is CONFIG_INVALID listing each one by its JSON path.
 */
export async function loadConfig(options: FindConfigOptions): Promise<LoadedConfig> {
  const given = options.config === undefined || options.config === '' ? null : resolve(options.cwd, options.config);
  const file = given ?? join(resolve(options.cwd, options.repo), CONFIG_FILE_NAME);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    // ENOTDIR: --repo names a file; the store then says so in its own words.
    if (isSystemError(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) {
      if (given === null) return { file: null, config: {} };
      throw new CliError('CONFIG_NOT_FOUND', `--config ${options.config}: no such file (${file})`, {
        data: { file }, hint: `give the path of a configuration file, or leave --config out to use ${CONFIG_FILE_NAME} at the repository's top level when there is one`,
      });
    }
    throw error;
  }
  return { file, config: parseConfig(text, file) };
}

/** Parses and validates the text of a configuration file; `file` names it in errors. */
export function parseConfig(text: string, file: string): AuditConfig {
  const source = text.replace(/^\ufeff/, '');
  const { value, tree } = parseJson(source, file);
  const validate = validator();
  if (validate(value)) return value as AuditConfig;
  throw invalid(file, problemsOf(validate.errors ?? [], source, tree));
}

let compiled: ValidateFunction | undefined;

/** Compiled on first use, once per process. */
function validator(): ValidateFunction {
  if (compiled === undefined) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
    ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
    compiled = ajv.compile(configSchema());
  }
  return compiled;
}

/**
 * JSON.parse, and on a syntax error the first error's line and column from jsonc-parser (V8's own
 * message quotes the text around it, which may be a secret).
 */
function parseJson(text: string, file: string): { value: unknown; tree: Node | undefined } {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  try {
    return { value: JSON.parse(text), tree };
  } catch {
    const first = errors[0];
    const where = first === undefined ? { line: 1, column: 1 } : position(text, first.offset);
    const what = first === undefined ? 'not valid JSON' : SYNTAX[printParseErrorCode(first.error)] ?? printParseErrorCode(first.error);
    throw new CliError('CONFIG_INVALID', `${file} is not valid JSON: line ${where.line}, column ${where.column}: ${what}`, {
      data: { file, problems: [{ path: [], line: where.line, column: where.column, message: what }] },
      hint: 'fix the JSON syntax (comments and trailing commas are not allowed)',
    });
  }
}

const SYNTAX: Readonly<Record<string, string>> = {
  InvalidSymbol: 'unexpected character', InvalidNumberFormat: 'invalid number', PropertyNameExpected: 'expected a key in double quotes',
  ValueExpected: 'expected a value', ColonExpected: 'expected ":"', CommaExpected: 'expected ","', CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"', EndOfFileExpected: 'expected the end of the file', InvalidCommentToken: 'comments are not allowed',
  UnexpectedEndOfComment: 'unterminated comment', UnexpectedEndOfString: 'unterminated string', UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape', InvalidEscapeCharacter: 'invalid escape character', InvalidCharacter: 'invalid character in a string',
};

function invalid(file: string, problems: readonly ConfigProblem[]): CliError {
  const lines = problems.map(formatProblem);
  const secret = problems.some((p) => p.message.includes(SECRET_NOTE));
  return new CliError('CONFIG_INVALID', `${file} has ${problems.length} problem(s); stopped before exporting or writing anything`, {
    data: { file, problems: problems.map((p) => ({ path: p.path, line: p.line, message: p.message })), details: lines },
    hint: secret
      ? 'remove the secret from the file and set it in the environment; if the file was ever committed or shared, rotate the key'
      : 'the file is checked against config.schema.json, which ships with balkan-audit (set "$schema" to it for completion in an editor)',
  });
}
