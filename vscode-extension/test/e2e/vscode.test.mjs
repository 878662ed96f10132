// End-to-end: the packaged .vsix in a real VS Code (code-server from npm, driven by
// playwright-core in Debian's Chromium), on a copy of examples/shop.
//
// Needs `make vsix e2e-tools` (`make extension-e2e` does both). A missing prerequisite fails the
// run; nothing is skipped. Screenshots and timings go to build/e2e/.

import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";

import { chromium } from "playwright-core";

const run = promisify(execFile);
const EXTENSION = path.resolve(import.meta.dirname, "..", "..");
const REPO = path.resolve(EXTENSION, "..");
const VSIX = path.resolve(EXTENSION, process.env.MOCKLS_VSIX ?? "mockls.vsix");
const CODE_SERVER = path.resolve(
  EXTENSION,
  process.env.MOCKLS_CODE_SERVER ?? ".tools/node_modules/.bin/code-server",
);
const CHROMIUM = process.env.MOCKLS_CHROMIUM ?? "/usr/bin/chromium";
const ARTIFACTS = path.join(EXTENSION, "build", "e2e");
const PYTHON = process.env.MOCKLS_E2E_PYTHON ?? "python3";
const LONG = 90_000; // a loaded 2-core machine: waits are generous, never asserted on
const timings = {};

before(async () => {
  for (const [what, file, how] of [
    ["the packaged extension", VSIX, "make vsix"],
    ["code-server", CODE_SERVER, "make e2e-tools"],
    ["Chromium", CHROMIUM, "make e2e-tools"],
  ]) {
    assert.ok(existsSync(file), `${what} is missing at ${file}: run \`${how}\` first`);
  }
  await rm(ARTIFACTS, { recursive: true, force: true });
  await mkdir(ARTIFACTS, { recursive: true });
});

after(async () => {
  await writeFile(path.join(ARTIFACTS, "timings.json"), JSON.stringify(timings, null, 2) + "\n");
  console.log(`timings (ms): ${JSON.stringify(timings)}`);
});

const USER_SETTINGS = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "extensions.ignoreRecommendations": true,
  "security.workspace.trust.enabled": true,
  "security.workspace.trust.startupPrompt": "never",
  "security.workspace.trust.banner": "never",
  "editor.hover.delay": 300,
  "files.autoSave": "off",
  "editor.autoClosingBrackets": "never", // the test types settings.json in: keep it verbatim
  "editor.autoClosingQuotes": "never",
  "editor.autoIndent": "none",
  "telemetry.telemetryLevel": "off",
  "mockls.trace.server": "messages", // the LSP traffic goes to the log saved with the screenshots
};

/** A copy of examples/shop, with a fake `.venv/bin/python` that leaves a mark when it runs. */
async function makeWorkspace(root) {
  const workspace = path.join(root, "shop");
  await cp(path.join(REPO, "examples", "shop"), workspace, { recursive: true });
  await cp(path.join(import.meta.dirname, "workspace-extra"), workspace, { recursive: true });
  const marker = path.join(root, "workspace-python-ran");
  const python = path.join(workspace, ".venv", "bin", "python");
  await mkdir(path.dirname(python), { recursive: true });
  const real = (await run(PYTHON, ["-c", "import sys; print(sys.executable)"])).stdout.trim();
  await writeFile(python, `#!/bin/sh\necho "$@" >> '${marker}'\nexec '${real}' "$@"\n`);
  await chmod(python, 0o755);
  await writeFile(path.join(workspace, ".venv", "pyvenv.cfg"), `home = ${path.dirname(real)}\n`);
  return { workspace, marker };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(condition, what, timeout = LONG) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Starts code-server with the .vsix installed in a fresh profile, and Chromium on it. */
async function launch({ trusted }) {
  const root = await mkdtemp(path.join(os.tmpdir(), "mockls-e2e-"));
  const { workspace, marker } = await makeWorkspace(root);
  const data = path.join(root, "data");
  const extensions = path.join(root, "extensions");
  const config = path.join(root, "config.yaml");
  await mkdir(path.join(data, "User"), { recursive: true });
  await writeFile(config, "auth: none\ncert: false\n");
  await writeFile(path.join(data, "User", "settings.json"), JSON.stringify(USER_SETTINGS));
  const common = ["--config", config, "--user-data-dir", data, "--extensions-dir", extensions];
  await run(CODE_SERVER, [...common, "--install-extension", VSIX]);

  const port = await freePort();
  const serverLog = path.join(root, "code-server.log");
  const child = spawn(
    CODE_SERVER,
    [
      ...common,
      "--auth", "none",
      "--bind-addr", `127.0.0.1:${port}`,
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-getting-started-override",
      ...(trusted ? ["--disable-workspace-trust"] : []),
      workspace,
    ],
    { detached: true, stdio: ["ignore", "ignore", "ignore"], env: { ...process.env, TMPDIR: root } },
  );
  const stop = async () => {
    try {
      process.kill(-child.pid, "SIGKILL"); // the whole group: extension host and mockls too
    } catch {
      // already gone
    }
  };
  try {
    await waitFor(async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
      } catch {
        return false;
      }
    }, "code-server to answer");
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator(".monaco-workbench").waitFor({ timeout: LONG });
    return {
      page,
      workspace,
      marker,
      data,
      serverLog,
      close: async () => {
        await writeFile(
          path.join(ARTIFACTS, `mockls-${trusted ? "trusted" : "untrusted"}.log`),
          await extensionLog(data),
        );
        await browser.close();
        await stop();
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function screenshot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

async function openFile(page, relativePath) {
  await page.keyboard.press("Escape");
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ timeout: LONG });
  await input.fill(relativePath);
  await page
    .locator(".quick-input-widget .monaco-list-row", { hasText: path.basename(relativePath) })
    .first()
    .waitFor({ timeout: LONG });
  await page.keyboard.press("Enter");
  const tab = page.locator(".tabs-container .tab.active", { hasText: path.basename(relativePath) });
  try {
    await tab.waitFor({ timeout: LONG });
  } catch (error) {
    await screenshot(page, `failed-to-open-${path.basename(relativePath)}`);
    throw error;
  }
  await page.locator(".monaco-editor .view-lines").first().waitFor({ timeout: LONG });
}

/** Waits until the editor shows diagnostics. */
async function waitForSquiggles(page) {
  await page
    .locator(".monaco-editor .squiggly-warning, .monaco-editor .squiggly-error")
    .first()
    .waitFor({ timeout: LONG });
}

/** Runs a command from the Command Palette, by its title. */
async function runCommand(page, title) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ timeout: LONG });
  await input.fill(`>${title}`);
  await page
    .locator(".quick-input-widget .monaco-list-row", { hasText: title })
    .first()
    .waitFor({ timeout: LONG });
  await page.keyboard.press("Enter");
}

/** Puts the cursor at `line:column` (1-based) with Go to Line. */
async function goTo(page, line, column) {
  await page.keyboard.press("Control+G");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ timeout: LONG });
  await input.fill(`:${line}:${column}`); // Control+G opens Quick Open at ":"
  await page.keyboard.press("Enter");
  await input.waitFor({ state: "hidden", timeout: LONG });
}

/** Moves the mouse onto the text just right of the cursor and returns the hover's text. */
async function hoverAtCursor(page, mustContain) {
  const cursor = page.locator(".monaco-editor.focused .cursor").first();
  const box = await waitFor(() => cursor.boundingBox(), "the cursor to show");
  const hover = page.locator(".monaco-hover:not(.hidden)", { hasText: mustContain });
  return waitFor(async () => {
    await page.mouse.move(box.x + 12, box.y + box.height / 2);
    await page.mouse.move(box.x + 14, box.y + box.height / 2);
    try {
      await hover.first().waitFor({ timeout: 3_000 });
      return await hover.first().innerText();
    } catch {
      await page.mouse.move(5, 5); // away, then back: a stale "Loading..." card goes
      return undefined;
    }
  }, `a hover containing ${mustContain}`);
}

/** What `mockls check --format json` (the bundled server) reports for one file. */
async function expectedFindings(workspace, relativePath) {
  const launcher = path.join(EXTENSION, "bundled", "tool", "launch_server.py");
  const result = await run(PYTHON, [launcher, "check", "--format", "json", relativePath], {
    cwd: workspace,
  }).catch((error) => error); // exit code 1 means "findings"
  return JSON.parse(result.stdout);
}

async function extensionLog(data) {
  const found = [];
  async function walk(directory) {
    for (const entry of await readdir(directory, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
      } else if (entry.name.endsWith(".log")) {
        const text = await readFile(full, "utf8");
        if (text.includes("activated in")) {
          found.push(text);
        }
      }
    }
  }
  await walk(path.join(data, "logs"));
  return found.join("\n");
}

function millisecondsIn(log, pattern) {
  const match = pattern.exec(log);
  return match ? Number(match[1]) : undefined;
}

describe("mockls in VS Code, trusted workspace", { timeout: 600_000 }, () => {
  let vscode;
  before(async () => {
    vscode = await launch({ trusted: true });
  });
  after(async () => {
    await vscode?.close();
  });

  it("shows the known mistakes as squiggles and in the Problems panel", async () => {
    const { page, workspace } = vscode;
    const opened = Date.now();
    await openFile(page, "tests/test_orders.py");
    await waitForSquiggles(page);
    timings.openToFirstDiagnostics = Date.now() - opened;
    await screenshot(page, "1-diagnostics");

    const expected = await expectedFindings(workspace, "tests/test_orders.py");
    assert.ok(expected.length >= 5, `the example has its known mistakes: ${expected.length}`);
    await page.keyboard.press("Control+Shift+M");
    const rows = page.locator(".markers-panel .monaco-list-row");
    const labels = await waitFor(async () => {
      const texts = await rows.evaluateAll((elements) =>
        elements.map(
          (element) => `${element.getAttribute("aria-label") ?? ""} ${element.textContent ?? ""}`,
        ),
      );
      const found = expected.every((finding) => texts.some((text) => text.includes(finding.message)));
      return found ? texts : undefined;
    }, "every finding of `mockls check` in the Problems panel");
    await writeFile(path.join(ARTIFACTS, "problems.txt"), labels.join("\n") + "\n");
    for (const finding of expected) {
      assert.ok(
        labels.some((label) => label.includes(finding.message) && label.includes(finding.code)),
        `${finding.code} is shown with its message`,
      );
    }
    await screenshot(page, "2-problems");
    await page.keyboard.press("Control+Shift+M");

    const log = await extensionLog(vscode.data);
    timings.activation = millisecondsIn(log, /activated in (\d+) ms/);
    timings.serverReady = millisecondsIn(log, /server ready in (\d+) ms/);
    assert.match(log, /server ready in \d+ ms: mockls \S+ \(useBundled\) on Python 3\.\d+/);
  });

  it("shows the signature card on hover over a patch target", async () => {
    const { page } = vscode;
    await openFile(page, "tests/test_orders.py");
    await goTo(page, 23, 14); // @patch("shop.orders.charge")
    const card = await hoverAtCursor(page, "amount_cents");
    assert.match(card, /shop\.payments\.charge/);
    assert.match(card, /charge\(card: str, amount_cents: int\) -> str/);
    await page.waitForTimeout(500); // the card fades in: let the screenshot show it whole
    await screenshot(page, "3-hover");
    await page.keyboard.press("Escape");
  });

  it("applies a quick fix from the lightbulb menu", async () => {
    const { page, workspace } = vscode;
    const file = path.join(workspace, "tests", "test_orders.py");
    const before = await readFile(file, "utf8");
    assert.match(before, /mock_charge\.assert_called_once_wtih\("4242", 3600\)/);
    await openFile(page, "tests/test_orders.py");
    await waitForSquiggles(page);
    await goTo(page, 47, 25); // mock_charge.assert_called_once_wtih(...)
    await page.keyboard.press("Control+.");
    const menu = page.locator(".action-widget .monaco-list-row");
    await menu.first().waitFor({ timeout: LONG });
    await screenshot(page, "4-quick-fix-menu");
    const titles = await menu.allInnerTexts();
    const index = titles.findIndex((title) => title.includes("assert_called_once_with"));
    assert.ok(index >= 0, `a fix to assert_called_once_with is offered: ${JSON.stringify(titles)}`);
    await page.locator(".action-widget .monaco-list-row.focused").waitFor({ timeout: LONG });
    const focused = await menu.evaluateAll((rows) =>
      rows.findIndex((row) => row.classList.contains("focused")),
    );
    for (let step = focused; step < index; step += 1) {
      await page.keyboard.press("ArrowDown");
    }
    await page.keyboard.press("Enter");
    await page.keyboard.press("Control+S");
    const after = await waitFor(async () => {
      const text = await readFile(file, "utf8");
      return text !== before ? text : undefined;
    }, "the fixed file to be saved");
    assert.equal(
      after,
      before.replace("assert_called_once_wtih(\"4242\", 3600)", "assert_called_once_with(\"4242\", 3600)"),
    );
    await screenshot(page, "5-quick-fix-applied");
  });

  it("applies a settings change to the running server", async () => {
    const { page, data } = vscode;
    await openFile(page, "tests/test_orders.py");
    await page.keyboard.press("Control+Shift+M");
    const problems = () =>
      page
        .locator(".markers-panel .monaco-list-row")
        .evaluateAll((rows) => rows.map((row) => row.textContent ?? ""));
    await waitFor(
      async () => (await problems()).some((text) => text.includes("misspelled-assert")),
      "misspelled-assert in the Problems panel",
    );
    await runCommand(page, "Preferences: Open User Settings (JSON)");
    await page.locator(".tabs-container .tab.active", { hasText: "settings.json" }).waitFor();
    await page.locator(".editor-group-container.active .monaco-editor .view-lines").click();
    await page.keyboard.press("Control+A");
    await page.keyboard.insertText(
      JSON.stringify({ ...USER_SETTINGS, "mockls.ignore": ["misspelled-assert"] }),
    );
    await page.keyboard.press("Control+S");
    await page.locator(".tabs-container .tab", { hasText: "test_orders.py" }).click();
    await waitFor(async () => {
      const texts = await problems();
      return (
        !texts.some((text) => text.includes("misspelled-assert")) &&
        texts.some((text) => text.includes("patch-argument-order"))
      );
    }, "misspelled-assert to go from the Problems panel, and the other findings to stay");
    await screenshot(page, "6-ignored-by-a-setting");
    await page.keyboard.press("Control+Shift+M");
    const starts = (await extensionLog(data)).match(/server ready in/g) ?? [];
    assert.equal(starts.length, 1, "the server was reconfigured, not restarted");
  });

  it("verifies the patches of the test under the cursor from the Command Palette", async () => {
    const { page } = vscode;
    await openFile(page, "tests/test_orders.py");
    await waitForSquiggles(page);
    await goTo(page, 27, 9); // in test_place_charges_the_total
    await runCommand(page, "mockls: Verify Patches in This Test");
    const toast = page.locator(".notifications-toasts", { hasText: "test_place_charges_the_total" });
    await toast.first().waitFor({ timeout: LONG });
    // The sandbox ran the test the cursor is in (in the workspace's .venv) and both patches' mocks were used.
    assert.match(
      await toast.first().innerText(),
      /`PlaceOrderTests\.test_place_charges_the_total` passed \(\w+\); 2 patched targets: 2 used/,
    );
    await screenshot(page, "7-verified");
  });

  it("checks Python cells of notebooks", async () => {
    const { page } = vscode;
    const opened = Date.now();
    await openFile(page, "explore.ipynb");
    const squiggle = page.locator(
      ".notebook-editor .monaco-editor .squiggly-warning, .notebook-editor .monaco-editor .squiggly-error",
    );
    await squiggle.first().waitFor({ timeout: LONG });
    timings.openToFirstDiagnosticsServerRunning = Date.now() - opened;
    await page.keyboard.press("Control+Shift+M");
    const row = page.locator(".markers-panel .monaco-list-row", { hasText: "retrun_value" });
    await row.first().waitFor({ timeout: LONG });
    assert.match(await row.first().innerText(), /misspelled-mock-attribute/);
    await screenshot(page, "8-notebook");
    await page.keyboard.press("Control+Shift+M");
  });

  it("resolves standard-library targets in the workspace's own environment", async () => {
    const { page, marker } = vscode;
    await openFile(page, "tests/test_clock.py");
    await goTo(page, 9, 25); // mock.patch("time.sleep")
    const card = await hoverAtCursor(page, "sleep");
    assert.match(card, /time\.sleep/);
    assert.ok(existsSync(marker), "a trusted workspace's .venv interpreter is used");
  });
});

describe("mockls in VS Code, untrusted workspace", { timeout: 600_000 }, () => {
  let vscode;
  before(async () => {
    vscode = await launch({ trusted: false });
  });
  after(async () => {
    await vscode?.close();
  });

  it("lints, says why the sandbox is off, and runs none of the workspace's interpreters", async () => {
    const { page, marker } = vscode;
    await openFile(page, "tests/test_orders.py");
    await waitForSquiggles(page);
    const toast = page.locator(".notifications-toasts", { hasText: "this workspace is not trusted" });
    await toast.first().waitFor({ timeout: LONG });
    await screenshot(page, "9-untrusted");

    await openFile(page, "tests/test_clock.py");
    await goTo(page, 9, 25);
    const card = await hoverAtCursor(page, "sleep");
    assert.match(card, /time\.sleep/);
    assert.equal(existsSync(marker), false, "the untrusted workspace's .venv/bin/python ran");
    await screenshot(page, "10-untrusted-hover");
  });

  it("turns to the workspace's environment once trusted, without a reload", async () => {
    const { page, marker } = vscode;
    await runCommand(page, "Workspaces: Manage Workspace Trust");
    await page.getByRole("button", { name: "Trust", exact: true }).first().click({ timeout: LONG });
    await screenshot(page, "11-trusted-now");
    await page.keyboard.press("Control+W"); // the Workspace Trust editor, which has the focus
    await openFile(page, "tests/test_clock.py");
    await waitFor(async () => {
      await goTo(page, 9, 25);
      await hoverAtCursor(page, "sleep");
      await page.keyboard.press("Escape");
      return existsSync(marker);
    }, "the workspace's interpreter to be used after trusting it");
  });
});
