/**
 * The interpreter selected in the Python extension (`ms-python.python`), through its public API,
 * when that extension is installed: it is optional, never a dependency.
 */

import { PythonExtension } from "@vscode/python-extension";
import * as vscode from "vscode";

export const PYTHON_EXTENSION_ID = "ms-python.python";

/** The Python extension's API, or `undefined` when it is not installed or fails to start. */
async function pythonApi(log: vscode.LogOutputChannel): Promise<PythonExtension | undefined> {
  if (vscode.extensions.getExtension(PYTHON_EXTENSION_ID) === undefined) {
    return undefined;
  }
  try {
    return await PythonExtension.api();
  } catch (error) {
    log.warn(`the Python extension did not start: ${String(error)}`);
    return undefined;
  }
}

/** The executable of the environment the Python extension has selected for `folder`. */
export async function selectedInterpreter(
  folder: vscode.Uri | undefined,
  log: vscode.LogOutputChannel,
): Promise<string | undefined> {
  const api = await pythonApi(log);
  if (api === undefined) {
    return undefined;
  }
  try {
    const active = api.environments.getActiveEnvironmentPath(folder);
    const environment = await api.environments.resolveEnvironment(active);
    return environment?.executable.uri?.fsPath;
  } catch (error) {
    log.warn(`cannot read the Python extension's interpreter: ${String(error)}`);
    return undefined;
  }
}

/** Calls `listener` whenever the selected interpreter changes; a no-op without the extension. */
export async function onDidChangeSelectedInterpreter(
  listener: () => void,
  log: vscode.LogOutputChannel,
): Promise<vscode.Disposable> {
  const api = await pythonApi(log);
  return api === undefined
    ? new vscode.Disposable(() => undefined)
    : api.environments.onDidChangeActiveEnvironmentPath(listener);
}
