-- Instructor-only: delta_size on situations the public checks do not try, and
-- consolidate's actions on another paused VM. Never shipped to students; `hyperlab pack` puts it
-- only in the autograder. Runs after lab.lua in the same world: names start with "h-".
local answer = lab.submission("answer.lua")

local ds = lab.datastore{ name = "h-ds", capacity = "500 GiB", kind = "ssd" }
local h = lab.host{ name = "h-esx01", cpus = 8, memory = "64 GiB", datastores = { ds } }

-- { data on the disk, rewritten after the snapshot, new data after that }
local cases = {
  { "12 GiB", "5 GiB", "3 GiB" }, { "6 GiB", "15 GiB", 0 }, { "10 GiB", "25 GiB", "4 GiB" },
  { "3 GiB", 0, "2 GiB" }, { "4 GiB", "1536 MiB", "512 MiB" },
}
for i, c in ipairs(cases) do
  local vm = h:create_vm{ name = "h-vm" .. i, memory = "1 GiB", mem = { reservation = "1 GiB" },
                          disks = { { size = "40 GiB", provisioning = "thin" } } }
  vm:power_on()
  local function write(bytes, rewrite)
    if lab.bytes(bytes) == 0 then return end
    local w = vm:run(lab.workload.disk{ write = bytes, rate = "1 GB/s", rewrite = rewrite })
    lab.run_until(function() return not w.running end, "1 h")
  end
  write(c[1], false)
  vm:snapshot("s")
  write(c[2], true)
  write(c[3], false)
  c.args = { lab.bytes(c[1]), lab.bytes(c[2]), lab.bytes(c[3]) }
  c.delta = vm.disks[1].deltas[1]
  vm:power_off()
end

check("delta_size on unseen disks", { number = "H1", points = 2, visibility = "after_due_date",
  hide_errors = "delta_size gave a wrong size for a disk and writes the public checks do not try." }, function()
  local f = lab.answer(answer, "delta_size")
  local right = 0
  for _, c in ipairs(cases) do
    local ok, got = pcall(f, c.args[1], c.args[2], c.args[3])
    local b = ok and lab.size_of(got) or nil
    if b and math.abs(b - c.delta) <= lab.bytes("1 MiB") then right = right + 1 end
    print(("delta_size(%s, %s, %s): answered %s, the delta is %s"):format(lab.format.bytes(c.args[1]),
      lab.format.bytes(c.args[2]), lab.format.bytes(c.args[3]), tostring(got), lab.format.bytes(c.delta)))
  end
  partial(right / #cases)
  expect(right, "unseen cases answered right", "count"):to_equal(#cases)
end)

-- A thick disk on an HDD datastore with a snapshot named "backup": it pauses rewriting.
local tight = lab.datastore{ name = "h-tight", capacity = "30 GiB", kind = "hdd" }
local h2 = lab.host{ name = "h-esx02", cpus = 4, memory = "16 GiB", datastores = { tight } }
local app = h2:create_vm{ name = "h-app", memory = "1 GiB", mem = { reservation = "1 GiB" },
                          disks = { { size = "24 GiB", provisioning = "thick-lazy" } } }
app:power_on()
local fill = app:run(lab.workload.disk{ write = "20 GiB", rate = "1 GB/s" })
lab.run_until(function() return not fill.running end, "1 h")
app:snapshot("backup")
app:run(lab.workload.disk{ write = "12 GiB", rate = "1 GB/s", rewrite = true })
lab.run_until(function() return app.state == "paused" end, "1 h")

-- The same action vocabulary, checks and application as lab.lua's check 5 (lab.lua's
-- locals are not visible here).
local ACTIONS = { delete_snapshot = { "snapshot" }, revert = { "snapshot" }, power_off = {}, answer = { "choice" } }
local ACTION_LIST = '"delete_snapshot", "revert", "power_off" and "answer"'
local FIELD_ORDER = { action = 1, vm = 2, snapshot = 3, choice = 4 }

local function quoted(v) return type(v) == "string" and ("%q"):format(v) or tostring(v) end
local function name_of(v)
  if type(v) == "string" then return v end
  local ok, name = pcall(function() return v.name end)
  return ok and type(name) == "string" and name or nil
end
local function strip(err) return (tostring(err):gsub("^[^:]*:%d+: ", "")) end

-- An action as the student wrote it: { action = "answer", vm = "web1", choice = "retry" }.
local function show_action(a)
  local keys, parts = {}, {}
  for _, v in ipairs(a) do parts[#parts + 1] = quoted(v) end
  for k in pairs(a) do
    if math.type(k) ~= "integer" or k < 1 or k > #a then keys[#keys + 1] = k end
  end
  table.sort(keys, function(x, y)
    local ox, oy = FIELD_ORDER[x] or 9, FIELD_ORDER[y] or 9
    if ox ~= oy then return ox < oy end
    return tostring(x) < tostring(y)
  end)
  for _, k in ipairs(keys) do
    local v = a[k]
    parts[#parts + 1] = ("%s = %s"):format(tostring(k), name_of(v) and k == "vm" and quoted(name_of(v)) or quoted(v))
  end
  return "{ " .. table.concat(parts, ", ") .. " }"
end

-- Checks every action before any is applied (an action without vm is for default_vm): a
-- malformed list fails the check with one message naming the action, and nothing is changed.
local function read_actions(list, vms, call, default_vm)
  if type(list) ~= "table" then
    error(("%s returned %s: return a list of actions, each a table such as { action = ..., ... } "
      .. "(see the starter)"):format(call, quoted(list)), 0)
  end
  if list.action ~= nil then
    error(("%s returned one action, not a list of actions: put it inside { ... }"):format(call), 0)
  end
  if next(list) == nil then lab.feedback(call .. " returned no actions: nothing was changed") end
  local names = {}
  for name in pairs(vms) do names[#names + 1] = name end
  table.sort(names)
  local actions = {}
  for i, a in ipairs(list) do
    if type(a) ~= "table" then
      error(("%s, action %d: %s is not an action table { action = ..., ... }"):format(call, i, quoted(a)), 0)
    end
    local where = ("%s, action %d %s"):format(call, i, show_action(a))
    local fields = ACTIONS[a.action]
    if a.action == nil then
      error(where .. ": it has no action = ... field (the actions are " .. ACTION_LIST .. ")", 0)
    end
    if not fields then error(("%s: unknown action %s (the actions are %s)"):format(where, quoted(a.action), ACTION_LIST), 0) end
    local vm_name = a.vm == nil and default_vm.name or name_of(a.vm)
    if not vms[vm_name] then
      error(("%s: no VM %s here (the VMs are %s)"):format(where, quoted(vm_name or a.vm), table.concat(names, ", ")), 0)
    end
    local known = { action = true, vm = true }
    for _, f in ipairs(fields) do known[f] = true end
    for k in pairs(a) do
      if not known[k] then
        error(("%s: %s is not a field of %s (it takes %s)"):format(where, quoted(k), a.action,
          table.concat({ "vm", table.unpack(fields) }, " and ")), 0)
      end
    end
    for _, f in ipairs(fields) do
      if type(a[f]) ~= "string" then
        error(("%s: %s needs %s = a string%s"):format(where, a.action, f,
          f == "choice" and ' ("retry" or "cancel")' or " (a snapshot's name)"), 0)
      end
    end
    if a.action == "answer" and a.choice ~= "retry" and a.choice ~= "cancel" then
      error(("%s: a paused VM's question takes choice = \"retry\" or \"cancel\", not %s"):format(where, quoted(a.choice)), 0)
    end
    actions[#actions + 1] = { action = a.action, vm = vms[vm_name], snapshot = a.snapshot, choice = a.choice,
                              text = ("action %d %s"):format(i, show_action(a)) }
  end
  return actions
end

-- Applies the actions in order; one the model refuses fails the check, naming it.
local function apply_actions(actions, call)
  for i, a in ipairs(actions) do
    local ok, err = pcall(function()
      if a.action == "delete_snapshot" then a.vm:delete_snapshot(a.snapshot)
      elseif a.action == "revert" then a.vm:revert(a.snapshot)
      elseif a.action == "power_off" then a.vm:power_off()
      else a.vm:answer(a.choice) end
    end)
    if not ok then
      error(("%s, %s was refused: %s%s"):format(call, a.text, strip(err),
        i < #actions and " (the actions after it were not applied)" or ""), 0)
    end
    print(("%s, %s applied"):format(call, a.text))
    if a.action == "answer" and a.choice == "retry" and a.vm.state == "paused" then
      lab.feedback(("%s, %s: %s is still paused, its datastore had no free space for it yet"):format(call, a.text, a.vm.name))
    end
  end
end

check("consolidate on another VM", { number = "H2", points = 2, visibility = "after_due_date",
  hide_errors = "consolidate did not return actions that get another paused VM with a snapshot \"backup\" "
             .. "running again with its snapshot merged." }, function()
  expect(app.state, "h-app before consolidate"):to_equal("paused")
  local consolidate = lab.answer(answer, "consolidate")
  local ok, list = pcall(consolidate, app)
  if not ok then error("consolidate(vm) failed: " .. tostring(list), 0) end
  apply_actions(read_actions(list, { [app.name] = app }, "consolidate(vm)", app), "consolidate(vm)")
  expect(app.snapshots, "h-app's snapshots"):to_equal({})
  expect(app.state, "h-app's state"):to_equal("on")
  expect(app.disks[1].used, "h-app's disk on the datastore", "bytes"):to_equal(app.disks[1].size)
  lab.run_for("1 min")
  expect(app.state, "h-app a minute later"):to_equal("on")
end)
