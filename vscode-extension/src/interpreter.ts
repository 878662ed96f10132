/**
 * Which Python runs the mockls server: the `mockls.interpreter` setting, else the interpreter
 * selected in the Python extension, else `python3` on PATH — and whether it is new enough.
 */

import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

/** The oldest Python the server runs on. */
export const MINIMUM_PYTHON: readonly [number, number] = [3, 10];

export type InterpreterSource = "setting" | "python-extension" | "path";

export interface InterpreterChoice {
  readonly path: string;
  readonly source: InterpreterSource;
}

/** Where interpreters can come from; the extension passes the real ones, tests their own. */
export interface InterpreterSources {
  /** The `mockls.interpreter` setting, as written. */
  readonly configured: string;
  readonly workspaceFolder?: string;
  readonly home: string;
  /** The interpreter the Python extension has selected, when it is installed and has one. */
  selected(): Promise<string | undefined>;
  /** The full path of `command` on PATH, if any. */
  onPath(command: string): Promise<string | undefined>;
}

/** The names tried on PATH, in order. */
export function pathCommands(platform: NodeJS.Platform): readonly string[] {
  return platform === "win32" ? ["python", "py"] : ["python3", "python"];
}

/** `value` with `${workspaceFolder}`, `${userHome}` and a leading `~` expanded. */
export function expandPath(value: string, workspaceFolder: string | undefined, home: string): string {
  let expanded = value.replace(/\$\{userHome\}/g, home);
  if (workspaceFolder !== undefined) {
    expanded = expanded.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  }
  if (expanded === "~" || expanded.startsWith("~/") || expanded.startsWith("~\\")) {
    expanded = path.join(home, expanded.slice(1));
  }
  return expanded;
}

/** The interpreter to use, by the documented order; `undefined` when there is none. */
export async function chooseInterpreter(
  sources: InterpreterSources,
  platform: NodeJS.Platform = process.platform,
): Promise<InterpreterChoice | undefined> {
  if (sources.configured !== "") {
    return {
      path: expandPath(sources.configured, sources.workspaceFolder, sources.home),
      source: "setting",
    };
  }
  const selected = await sources.selected();
  if (selected) {
    return { path: selected, source: "python-extension" };
  }
  for (const command of pathCommands(platform)) {
    const found = await sources.onPath(command);
    if (found) {
      return { path: found, source: "path" };
    }
  }
  return undefined;
}

/** The full path of an executable `command` in the directories of `searchPath`. */
export async function findOnPath(
  command: string,
  searchPath: string = process.env.PATH ?? "",
  platform: NodeJS.Platform = process.platform,
): Promise<string | undefined> {
  const suffixes = platform === "win32" ? [".exe", ".cmd", ""] : [""];
  for (const directory of searchPath.split(path.delimiter)) {
    if (directory === "") {
      continue;
    }
    for (const suffix of suffixes) {
      const candidate = path.join(directory, command + suffix);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here: keep looking
      }
    }
  }
  return undefined;
}

/** The code `probeInterpreter` runs: prints the version and the real executable as JSON. */
export const PROBE_SCRIPT =
  "import json, sys; print(json.dumps({'version': list(sys.version_info[:3]), 'executable': sys.executable}))";

export interface InterpreterInfo {
  readonly version: readonly [number, number, number];
  readonly executable: string;
}

/** Reads what `PROBE_SCRIPT` printed; `undefined` when it is not that. */
export function parseProbe(output: string): InterpreterInfo | undefined {
  try {
    const value: unknown = JSON.parse(output.trim());
    if (typeof value !== "object" || value === null) {
      return undefined;
    }
    const { version, executable } = value as { version?: unknown; executable?: unknown };
    if (isVersion(version) && typeof executable === "string") {
      return { version, executable };
    }
  } catch {
    // not JSON
  }
  return undefined;
}

function isVersion(value: unknown): value is [number, number, number] {
  return Array.isArray(value) && value.length === 3 && value.every((part) => Number.isInteger(part));
}

/** Whether `version` is at least `MINIMUM_PYTHON`. */
export function isSupported(version: readonly [number, number, number]): boolean {
  const [major, minor] = MINIMUM_PYTHON;
  return version[0] > major || (version[0] === major && version[1] >= minor);
}

/** A usable interpreter, or why there is none, in words for the user. */
export type InterpreterCheck =
  | { readonly ok: true; readonly choice: InterpreterChoice; readonly info: InterpreterInfo }
  | { readonly ok: false; readonly problem: string };

const HOW_TO_FIX =
  "Set `mockls.interpreter` to a Python 3.10 or later, or select one with the Python extension.";

const describeSource: Record<InterpreterSource, string> = {
  setting: "the mockls.interpreter setting",
  "python-extension": "the interpreter selected in the Python extension",
  path: "PATH",
};

/** Chooses an interpreter, runs it once and tells whether the server can run on it. */
export async function checkInterpreter(
  sources: InterpreterSources,
  probe: (interpreter: string) => Promise<string> = runProbe,
): Promise<InterpreterCheck> {
  const choice = await chooseInterpreter(sources);
  if (choice === undefined) {
    return {
      ok: false,
      problem: `mockls found no Python: no mockls.interpreter setting, no interpreter selected in the Python extension, and no python3 on PATH. ${HOW_TO_FIX}`,
    };
  }
  let output: string;
  try {
    output = await probe(choice.path);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return {
      ok: false,
      problem: `mockls cannot run ${choice.path} (from ${describeSource[choice.source]}): ${reason}. ${HOW_TO_FIX}`,
    };
  }
  const info = parseProbe(output);
  if (info === undefined) {
    return {
      ok: false,
      problem: `mockls cannot tell which Python ${choice.path} (from ${describeSource[choice.source]}) is. ${HOW_TO_FIX}`,
    };
  }
  if (!isSupported(info.version)) {
    return {
      ok: false,
      problem: `mockls needs Python ${MINIMUM_PYTHON.join(".")} or later to run; ${choice.path} (from ${describeSource[choice.source]}) is Python ${info.version.join(".")}. ${HOW_TO_FIX}`,
    };
  }
  return { ok: true, choice, info };
}

/** Runs `PROBE_SCRIPT` with `interpreter` and returns what it printed. */
export async function runProbe(interpreter: string): Promise<string> {
  const { stdout } = await promisify(execFile)(interpreter, ["-I", "-c", PROBE_SCRIPT], {
    timeout: 15_000,
    cwd: os.tmpdir(),
  });
  return stdout;
}
