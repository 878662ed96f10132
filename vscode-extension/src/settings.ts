/**
 * The extension's settings: read from VS Code (package.json holds every default), and turned
 * into the `mockls` settings section the server reads.
 */

export type ImportStrategy = "useBundled" | "fromEnvironment";
export type TraceLevel = "off" | "messages" | "verbose";

/** What the user configured under `mockls.*`, every value checked. */
export interface ExtensionSettings {
  readonly interpreter: string;
  readonly importStrategy: ImportStrategy;
  readonly sandboxEnabled: boolean;
  readonly select: readonly string[] | null;
  readonly ignore: readonly string[];
  readonly severity: Readonly<Record<string, string>>;
  readonly trace: TraceLevel;
}

/** The part of `vscode.WorkspaceConfiguration` this module reads (so tests can give their own). */
export interface ConfigurationReader {
  get(key: string): unknown;
  inspect(key: string): { defaultValue?: unknown } | undefined;
}

/** The `mockls` section sent to the server, in the shape `mockls.config.apply_editor_settings` reads. */
export interface ServerSettings {
  readonly select: readonly string[] | null;
  readonly ignore: readonly string[];
  readonly severity: Readonly<Record<string, string>>;
  readonly sandbox: { readonly enabled: boolean };
  /** The interpreter the sandbox and target resolution use; absent: the server finds one. */
  readonly interpreter?: string;
  /** False in an untrusted workspace: the server then runs none of the workspace's code or interpreters. */
  readonly trusted: boolean;
}

/** What the server settings depend on besides the user's settings. */
export interface ServerContext {
  readonly trusted: boolean;
  /** The interpreter selected for the workspace (the Python extension's), if any. */
  readonly selectedInterpreter?: string;
}

const isString = (value: unknown): value is string => typeof value === "string";
const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every(isString);
const isStringRecord = (value: unknown): value is Record<string, string> =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every(isString);
const oneOf =
  <T extends string>(...choices: T[]) =>
  (value: unknown): value is T =>
    choices.includes(value as T);

/**
 * The value of `key`, or its package.json default when the user's value has the wrong type
 * (VS Code only warns about those in the settings editor; it still hands them over).
 */
function checked<T>(
  config: ConfigurationReader,
  key: string,
  valid: (value: unknown) => value is T,
): T {
  const value = config.get(key);
  if (valid(value)) {
    return value;
  }
  const fallback = config.inspect(key)?.defaultValue;
  if (valid(fallback)) {
    return fallback;
  }
  throw new Error(`package.json declares no valid default for mockls.${key}`);
}

/** Reads the `mockls` configuration section. */
export function readSettings(config: ConfigurationReader): ExtensionSettings {
  return {
    interpreter: checked(config, "interpreter", isString).trim(),
    importStrategy: checked(config, "importStrategy", oneOf("useBundled", "fromEnvironment")),
    sandboxEnabled: checked(
      config,
      "sandbox.enabled",
      (value): value is boolean => typeof value === "boolean",
    ),
    select: checked(
      config,
      "select",
      (value): value is string[] | null => value === null || isStringArray(value),
    ),
    ignore: checked(config, "ignore", isStringArray),
    severity: checked(config, "severity", isStringRecord),
    trace: checked(config, "trace.server", oneOf("off", "messages", "verbose")),
  };
}

/** The settings section the server gets, for one workspace folder. */
export function serverSettings(settings: ExtensionSettings, context: ServerContext): ServerSettings {
  const section: ServerSettings = {
    select: settings.select,
    ignore: settings.ignore,
    severity: settings.severity,
    sandbox: { enabled: settings.sandboxEnabled && context.trusted },
    trusted: context.trusted,
  };
  // In an untrusted workspace the selected interpreter may be the workspace's own venv: never run it.
  if (context.trusted && context.selectedInterpreter) {
    return { ...section, interpreter: context.selectedInterpreter };
  }
  return section;
}

/** Whether going from `before` to `after` needs a new server process (else the running one is told). */
export function needsRestart(before: ExtensionSettings, after: ExtensionSettings): boolean {
  return before.interpreter !== after.interpreter || before.importStrategy !== after.importStrategy;
}
