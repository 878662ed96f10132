/**
 * `mockls.verifyTest` from the Command Palette: the server's command takes a document and a test
 * name, which the server's own "Verify patches" code lenses carry; from the palette the test is
 * the one the cursor is in, found among those lenses.
 */

import * as vscode from "vscode";

import { testAtLine } from "./testLens";

export const VERIFY_TEST = "mockls.verifyTest";

/** The arguments for the test under the cursor of the active editor, asking the lenses. */
export async function argumentsForActiveEditor(): Promise<readonly unknown[] | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    return undefined;
  }
  const lenses =
    (await vscode.commands.executeCommand<vscode.CodeLens[] | undefined>(
      "vscode.executeCodeLensProvider",
      editor.document.uri,
    )) ?? [];
  const verifying = lenses.flatMap((lens) =>
    lens.command?.command === VERIFY_TEST
      ? [{ line: lens.range.start.line, arguments: lens.command.arguments ?? [] }]
      : [],
  );
  return testAtLine(verifying, editor.selection.active.line);
}
