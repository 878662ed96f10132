/** The language status item that shows what the server is doing, next to Python's. */

import * as vscode from "vscode";

export type ServerState =
  | { readonly kind: "starting" }
  | { readonly kind: "running"; readonly detail: string }
  | { readonly kind: "stopped"; readonly problem: string };

export class ServerStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;

  constructor(selector: vscode.DocumentSelector) {
    this.item = vscode.languages.createLanguageStatusItem("mockls.status", selector);
    this.item.name = "mockls";
    this.item.command = { title: "Show Logs", command: "mockls.showLogs" };
    this.show({ kind: "starting" }, true);
  }

  /** Shows `state`, with whether the sandbox may run (it never does in an untrusted workspace). */
  show(state: ServerState, trusted: boolean): void {
    const sandbox = trusted ? "" : " · sandbox off: workspace not trusted";
    switch (state.kind) {
      case "starting":
        this.item.text = "mockls: starting";
        this.item.detail = undefined;
        this.item.busy = true;
        this.item.severity = vscode.LanguageStatusSeverity.Information;
        break;
      case "running":
        this.item.text = `mockls${sandbox}`;
        this.item.detail = state.detail;
        this.item.busy = false;
        this.item.severity = trusted
          ? vscode.LanguageStatusSeverity.Information
          : vscode.LanguageStatusSeverity.Warning;
        break;
      case "stopped":
        this.item.text = "mockls: stopped";
        this.item.detail = state.problem;
        this.item.busy = false;
        this.item.severity = vscode.LanguageStatusSeverity.Error;
        break;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
