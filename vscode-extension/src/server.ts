/**
 * The mockls server process: started with the chosen interpreter and the bundled launcher,
 * restarted (coalesced) when its interpreter or import strategy changes, told of every other
 * settings change, and of workspace trust, without a restart.
 */

import * as os from "node:os";
import * as vscode from "vscode";
import {
  type ConfigurationParams,
  type ConfigurationRequest,
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

import { Coalesced } from "./coalesce";
import { type InterpreterChoice, checkInterpreter, findOnPath } from "./interpreter";
import { selectedInterpreter } from "./pythonExtension";
import { VERIFY_TEST, argumentsForActiveEditor } from "./verifyTest";
import { type ExtensionSettings, readSettings, serverSettings } from "./settings";
import { ServerStatus } from "./status";

export const SECTION = "mockls";

/** Python in files, unsaved editors and notebook cells. */
export const DOCUMENT_SELECTOR: { scheme: string; language: string }[] = [
  { scheme: "file", language: "python" },
  { scheme: "untitled", language: "python" },
  { scheme: "vscode-notebook-cell", language: "python" },
];

export function settingsFor(scope?: vscode.ConfigurationScope): ExtensionSettings {
  return readSettings(vscode.workspace.getConfiguration(SECTION, scope));
}

function firstFolder(): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.[0];
}

export class ServerController implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private interpreter: InterpreterChoice | undefined;
  /** Restarts asked for while one runs make one more restart, not one each. */
  private readonly restarts = new Coalesced(async () => {
    try {
      await this.stop();
      await this.start();
    } catch (error) {
      this.fail(`the mockls server did not start: ${String(error)}`);
    }
  });
  /** What runs, for the status item: version, import strategy, Python. */
  private detail = "";
  private readonly status = new ServerStatus(DOCUMENT_SELECTOR);

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /**
   * Starts the server (or restarts it); several calls while one is in progress make one more
   * restart. Never rejects: a failure is shown in the status item and a message.
   */
  restart(): Promise<void> {
    return this.restarts.run();
  }

  /** Tells the running server its settings changed; it pulls them again (see `configuration`). */
  async reconfigure(): Promise<void> {
    this.showRunning();
    if (this.client?.isRunning()) {
      await this.client.sendNotification(DidChangeConfigurationNotification.type, {
        settings: null,
      });
    }
  }

  /**
   * After the workspace became trusted or the selected interpreter changed: restarts when the
   * server's interpreter would now be another, else reconfigures (the sandbox's may have moved).
   */
  async follow(): Promise<void> {
    const check = await this.checkInterpreter();
    const moved = !check.ok || check.choice.path !== this.interpreter?.path;
    await (moved ? this.restart() : this.reconfigure());
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.status.dispose();
  }

  private async start(): Promise<void> {
    const started = performance.now();
    this.status.show({ kind: "starting" }, vscode.workspace.isTrusted);
    const check = await this.checkInterpreter();
    if (!check.ok) {
      this.interpreter = undefined;
      this.fail(check.problem);
      return;
    }
    this.interpreter = check.choice;
    const settings = settingsFor(firstFolder());
    const launcher = vscode.Uri.joinPath(this.extensionUri, "bundled", "tool", "launch_server.py");
    const serverOptions: ServerOptions = {
      command: check.choice.path,
      args: [launcher.fsPath],
      transport: TransportKind.stdio,
      options: {
        cwd: firstFolder()?.uri.fsPath ?? os.homedir(),
        env: { ...process.env, MOCKLS_IMPORT_STRATEGY: settings.importStrategy },
      },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.log,
      traceOutputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: await this.serverSection(firstFolder()?.uri),
      middleware: {
        executeCommand: async (command, args, next) => {
          if (command === VERIFY_TEST && args.length === 0) {
            const test = await argumentsForActiveEditor();
            if (test === undefined) {
              void vscode.window.showInformationMessage(
                "mockls: put the cursor in a test that patches, in a saved file, to verify its patches.",
              );
              return undefined;
            }
            return next(command, [...test]) as unknown;
          }
          return next(command, args) as unknown;
        },
        workspace: {
          configuration: (params, token, next) => this.configuration(params, token, next),
        },
      },
    };
    const client = new LanguageClient(SECTION, "mockls", serverOptions, clientOptions);
    this.client = client;
    try {
      await client.start();
    } catch (error) {
      this.fail(`the mockls server did not start: ${String(error)}`);
      return;
    }
    const version = client.initializeResult?.serverInfo?.version ?? "?";
    this.detail = `mockls ${version} (${settings.importStrategy}) on Python ${check.info.version.join(".")}: ${check.choice.path}`;
    this.log.info(
      `server ready in ${Math.round(performance.now() - started)} ms: ${this.detail}`,
    );
    this.showRunning();
  }

  private showRunning(): void {
    if (this.client?.isRunning()) {
      this.status.show({ kind: "running", detail: this.detail }, vscode.workspace.isTrusted);
    }
  }

  private fail(problem: string): void {
    this.log.error(problem);
    this.status.show({ kind: "stopped", problem }, vscode.workspace.isTrusted);
    void vscode.window.showErrorMessage(problem, "Open Settings", "Show Logs").then((choice) => {
      if (choice === "Open Settings") {
        void vscode.commands.executeCommand("workbench.action.openSettings", "mockls.interpreter");
      } else if (choice === "Show Logs") {
        this.log.show();
      }
    });
  }

  private async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) {
      return;
    }
    try {
      await client.dispose(5_000);
    } catch (error) {
      this.log.warn(`the server did not stop cleanly: ${String(error)}`);
    }
  }

  private checkInterpreter(): ReturnType<typeof checkInterpreter> {
    const folder = firstFolder();
    const trusted = vscode.workspace.isTrusted;
    return checkInterpreter({
      configured: settingsFor(folder).interpreter,
      workspaceFolder: folder?.uri.fsPath,
      home: os.homedir(),
      // An untrusted workspace's selected interpreter may be its own venv: do not run it.
      selected: async () => (trusted ? selectedInterpreter(folder?.uri, this.log) : undefined),
      onPath: (command) => findOnPath(command),
    });
  }

  /** The `mockls` section for the folder of `scope` (the first folder when there is none). */
  private async serverSection(scope: vscode.Uri | undefined): Promise<object> {
    const folder = (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? firstFolder();
    const trusted = vscode.workspace.isTrusted;
    return serverSettings(settingsFor(scope ?? folder?.uri), {
      trusted,
      selectedInterpreter: trusted ? await selectedInterpreter(folder?.uri, this.log) : undefined,
    });
  }

  /** Answers the server's `workspace/configuration` pulls of `mockls` with the server's shape. */
  private async configuration(
    params: ConfigurationParams,
    token: vscode.CancellationToken,
    next: ConfigurationRequest.HandlerSignature,
  ): Promise<unknown[]> {
    const answers: unknown = await next(params, token);
    if (!Array.isArray(answers)) {
      return [];
    }
    return Promise.all(
      params.items.map((item, index) =>
        item.section === SECTION
          ? this.serverSection(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
          : (answers[index] as unknown),
      ),
    );
  }
}
