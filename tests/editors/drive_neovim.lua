-- Drives a headless Neovim (0.7 or later) against mockls, as a user would:
-- open a file, receive the diagnostics, ask for the quick-fixes at a position, apply the
-- first one, and receive the diagnostics of the fixed file. Everything seen is written as
-- JSON to the output file; a failure is written there too and exits non-zero.
--
-- Parameters come from the JSON file named by $MOCKLS_DRIVE:
--   command (list), root, file, output, fix_at ({line, character}, UTF-16 like the client)

local params = vim.fn.json_decode(table.concat(vim.fn.readfile(vim.env.MOCKLS_DRIVE), "\n"))
local result = {}
local published = {}
local WAIT_MS = 60000 -- a hang guard only

local function shown_diagnostics(buffer)
  local shown = {}
  for _, item in ipairs(vim.diagnostic.get(buffer)) do
    table.insert(shown, {
      lnum = item.lnum,
      col = item.col,
      end_lnum = item.end_lnum,
      end_col = item.end_col,
      severity = item.severity,
      source = item.source,
      message = item.message,
    })
  end
  table.sort(shown, function(a, b)
    if a.lnum ~= b.lnum then
      return a.lnum < b.lnum
    end
    return a.col < b.col
  end)
  return shown
end

local function wait_for_publish(count)
  assert(
    vim.wait(WAIT_MS, function()
      return #published >= count
    end, 20),
    "mockls published no diagnostics (" .. count .. ")"
  )
  return published[count]
end

local function drive()
  local default_handler = vim.lsp.handlers["textDocument/publishDiagnostics"]
  vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, message, context, config)
    table.insert(published, message)
    return default_handler(err, message, context, config)
  end

  vim.cmd("edit " .. vim.fn.fnameescape(params.file))
  vim.bo.filetype = "python"
  local buffer = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({ name = "mockls", cmd = params.command, root_dir = params.root })
  assert(client_id, "the mockls client did not start")
  assert(vim.lsp.buf_attach_client(buffer, client_id), "could not attach the buffer")

  local opened = wait_for_publish(1)
  result.opened = { published = opened, shown = shown_diagnostics(buffer) }

  local responses = vim.lsp.buf_request_sync(buffer, "textDocument/codeAction", {
    textDocument = { uri = vim.uri_from_bufnr(buffer) },
    range = { start = params.fix_at, ["end"] = params.fix_at },
    context = { diagnostics = opened.diagnostics },
  }, WAIT_MS)
  local actions = {}
  for _, response in pairs(responses or {}) do
    assert(not response.err, vim.inspect(response.err))
    for _, action in ipairs(response.result or {}) do
      table.insert(actions, action)
    end
  end
  result.actions = actions
  assert(#actions > 0, "no quick-fix offered")

  vim.lsp.util.apply_workspace_edit(actions[1].edit, "utf-16")
  result.fixed_lines = vim.api.nvim_buf_get_lines(buffer, 0, -1, false)
  local fixed = wait_for_publish(2)
  result.fixed = { published = fixed, shown = shown_diagnostics(buffer) }
end

local ok, failure = pcall(drive)
if not ok then
  result.failure = tostring(failure)
end
vim.fn.writefile({ vim.fn.json_encode(result) }, params.output)
if ok then
  vim.cmd("qall!")
else
  vim.cmd("cquit 3")
end
