/**
 * The mockls extension: wires the server, its commands, settings and workspace trust together.
 * The logic lives in the modules it imports; this file only connects them to VS Code's events.
 */

import * as vscode from "vscode";

import { onDidChangeSelectedInterpreter } from "./pythonExtension";
import { SECTION, ServerController, settingsFor } from "./server";
import { needsRestart } from "./settings";

let controller: ServerController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const activated = performance.now();
  const log = vscode.window.createOutputChannel("mockls", { log: true });
  const server = new ServerController(context.extensionUri, log);
  controller = server;
  let settings = settingsFor(vscode.workspace.workspaceFolders?.[0]);

  context.subscriptions.push(
    log,
    vscode.commands.registerCommand("mockls.restart", () => server.restart()),
    vscode.commands.registerCommand("mockls.showLogs", () => {
      log.show();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration(SECTION)) {
        return;
      }
      const before = settings;
      settings = settingsFor(vscode.workspace.workspaceFolders?.[0]);
      const restart = needsRestart(before, settings);
      log.info(`settings changed: ${restart ? "restarting" : "reconfiguring"} the server`);
      await (restart ? server.restart() : server.reconfigure());
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      log.info("the workspace is trusted now: the sandbox may run");
      await server.follow();
    }),
    await onDidChangeSelectedInterpreter(() => {
      void server.follow();
    }, log),
  );

  if (!vscode.workspace.isTrusted) {
    explainUntrusted(log);
  }
  // The server starts in the background: activation does not wait for Python.
  void server.restart();
  log.info(`activated in ${Math.round(performance.now() - activated)} ms`);
}

export async function deactivate(): Promise<void> {
  await controller?.dispose();
  controller = undefined;
}

function explainUntrusted(log: vscode.LogOutputChannel): void {
  const message =
    "mockls: this workspace is not trusted, so the sandbox is off: mockls reads your tests but runs none of the workspace's code or interpreters. Trust the workspace to let it prove its findings.";
  log.info(message);
  void vscode.window.showInformationMessage(message, "Manage Workspace Trust").then((choice) => {
    if (choice !== undefined) {
      void vscode.commands.executeCommand("workbench.trust.manage");
    }
  });
}
