import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import {
  type ConfigurationReader,
  type ExtensionSettings,
  needsRestart,
  readSettings,
  serverSettings,
} from "../../src/settings";

interface Contributed {
  default: unknown;
  scope?: string;
  description?: string;
  markdownDescription?: string;
}

const manifest = JSON.parse(
  readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8"),
) as { contributes: { configuration: { properties: Record<string, Contributed> } } };
const contributed = manifest.contributes.configuration.properties;

function contributedDefault(key: string): unknown {
  return (contributed[`mockls.${key}`] as Contributed | undefined)?.default;
}

/** A configuration like VS Code's: the user's values over package.json's defaults. */
function configuration(user: Record<string, unknown> = {}): ConfigurationReader {
  return {
    get: (key) => (key in user ? user[key] : contributedDefault(key)),
    inspect: (key) => ({ defaultValue: contributedDefault(key) }),
  };
}

const DEFAULTS: ExtensionSettings = readSettings(configuration());

describe("package.json settings", () => {
  it("declares every setting the issue names, each with a description and a scope", () => {
    assert.deepEqual(Object.keys(contributed).sort(), [
      "mockls.ignore",
      "mockls.importStrategy",
      "mockls.interpreter",
      "mockls.sandbox.enabled",
      "mockls.select",
      "mockls.severity",
      "mockls.trace.server",
    ]);
    for (const [key, property] of Object.entries(contributed)) {
      assert.ok(property.description ?? property.markdownDescription, `${key} has no description`);
      assert.ok(property.scope, `${key} has no scope`);
    }
  });

  it("are the defaults the extension reads", () => {
    assert.deepEqual(DEFAULTS, {
      interpreter: "",
      importStrategy: "useBundled",
      sandboxEnabled: true,
      select: null,
      ignore: [],
      severity: {},
      trace: "off",
    });
  });
});

describe("readSettings", () => {
  it("reads the user's values", () => {
    const settings = readSettings(
      configuration({
        interpreter: " ~/venvs/tools/bin/python ",
        importStrategy: "fromEnvironment",
        "sandbox.enabled": false,
        select: ["misspelled-assert"],
        ignore: ["patcher-not-stopped"],
        severity: { "misspelled-assert": "error" },
        "trace.server": "verbose",
      }),
    );
    assert.deepEqual(settings, {
      interpreter: "~/venvs/tools/bin/python",
      importStrategy: "fromEnvironment",
      sandboxEnabled: false,
      select: ["misspelled-assert"],
      ignore: ["patcher-not-stopped"],
      severity: { "misspelled-assert": "error" },
      trace: "verbose",
    });
  });

  it("falls back to package.json's default for a value of the wrong type", () => {
    const settings = readSettings(
      configuration({
        interpreter: 3,
        importStrategy: "fromSomewhere",
        "sandbox.enabled": "yes",
        select: "misspelled-assert",
        ignore: [1],
        severity: ["error"],
        "trace.server": true,
      }),
    );
    assert.deepEqual(settings, DEFAULTS);
  });
});

describe("serverSettings", () => {
  it("sends the rule settings, the sandbox and the selected interpreter in a trusted workspace", () => {
    const settings = { ...DEFAULTS, select: ["misspelled-assert"], severity: { x: "hint" } };
    assert.deepEqual(
      serverSettings(settings, { trusted: true, selectedInterpreter: "/ws/.venv/bin/python" }),
      {
        select: ["misspelled-assert"],
        ignore: [],
        severity: { x: "hint" },
        sandbox: { enabled: true },
        trusted: true,
        interpreter: "/ws/.venv/bin/python",
      },
    );
  });

  it("leaves the interpreter to the server when none is selected", () => {
    assert.equal("interpreter" in serverSettings(DEFAULTS, { trusted: true }), false);
  });

  it("turns the sandbox off and sends no workspace interpreter when the workspace is untrusted", () => {
    assert.deepEqual(
      serverSettings(DEFAULTS, { trusted: false, selectedInterpreter: "/ws/.venv/bin/python" }),
      { select: null, ignore: [], severity: {}, sandbox: { enabled: false }, trusted: false },
    );
  });

  it("keeps the sandbox off when the user turned it off", () => {
    const settings = { ...DEFAULTS, sandboxEnabled: false };
    assert.deepEqual(serverSettings(settings, { trusted: true }).sandbox, { enabled: false });
  });
});

describe("needsRestart", () => {
  it("restarts for a new interpreter or import strategy only", () => {
    assert.equal(needsRestart(DEFAULTS, { ...DEFAULTS, interpreter: "/usr/bin/python3.12" }), true);
    assert.equal(needsRestart(DEFAULTS, { ...DEFAULTS, importStrategy: "fromEnvironment" }), true);
    assert.equal(needsRestart(DEFAULTS, { ...DEFAULTS, select: ["misspelled-assert"] }), false);
    assert.equal(needsRestart(DEFAULTS, { ...DEFAULTS, sandboxEnabled: false }), false);
    assert.equal(needsRestart(DEFAULTS, { ...DEFAULTS, trace: "messages" }), false);
  });
});
