-- Instructor-only: used_at_creation on disk sizes the public checks do not try, and
-- recover(env)'s actions on another full datastore (other sizes, other names, a VM in
-- env.paused that never paused). Never shipped to students; `hyperlab pack` puts it only in the autograder.
local answer = lab.submission("answer.lua")
local bytes_of = lab.size_of

-- One disk of each type and size on a roomy datastore, measured right after creation.
local roomy = lab.datastore{ name = "hidden-ds1", capacity = "8 TiB", kind = "san" }
local h = lab.host{ name = "hidden-esx1", cpus = 8, memory = "64 GiB", datastores = { roomy } }
local cases = {}
for _, size in ipairs({ "24 GiB", "100 GiB", "1.5 TiB" }) do
  for _, kind in ipairs({ "thin", "thick-lazy", "thick-eager" }) do
    local vm = h:create_vm{ name = ("hidden-%s-%s"):format(kind, size:gsub("[ .]", "")), memory = "1 GiB",
                            mem = { reservation = "1 GiB" }, disks = { { size = size, provisioning = kind } } }
    cases[#cases + 1] = { kind = kind, size = lab.bytes(size), used = vm.disks[1].used }
  end
end

check("used_at_creation on other disk sizes", { number = "H1", points = 1, visibility = "after_due_date",
  hide_errors = "used_at_creation gave a wrong size for a disk size the public checks do not try." }, function()
  local fn = lab.answer(answer, "used_at_creation")
  local right = 0
  for _, c in ipairs(cases) do
    local ok, got = pcall(fn, c.kind, c.size)
    if ok and bytes_of(got) == c.used then
      right = right + 1
    else
      print(("H1 used_at_creation(%q, %s): the datastore shows %s, the submission %s"):format(c.kind,
        lab.format.bytes(c.size), lab.format.bytes(c.used), tostring(got)))
    end
  end
  partial(right / #cases)
  expect(right, "unseen disks answered right", "count"):to_equal(#cases)
end)

-- A 60 GiB datastore: a thin test VM whose snapshot "before-patch" holds an 8 GiB delta,
-- a quiet thin VM that writes little, and two thin app servers that fill the datastore.
local small = lab.datastore{ name = "hidden-ds2", capacity = "60 GiB", kind = "ssd" }
local h2 = lab.host{ name = "hidden-esx2", cpus = 8, memory = "64 GiB", datastores = { small } }
local function vm(name, size)
  local v = h2:create_vm{ name = "hidden-" .. name, memory = "1 GiB", mem = { reservation = "1 GiB" },
                          disks = { { size = size, provisioning = "thin" } } }
  v:power_on()
  return v
end
local test = vm("test", "16 GiB")
test:run(lab.workload.disk{ write = "8 GiB", rate = "1 GB/s" })
lab.run_for("1 min")
test:snapshot("before-patch")
test:run(lab.workload.disk{ write = "8 GiB", rate = "1 GB/s", rewrite = true })
lab.run_for("1 min")
local quiet, app1, app2 = vm("quiet", "30 GiB"), vm("app1", "40 GiB"), vm("app2", "40 GiB")
quiet:run(lab.workload.disk{ write = "2 GiB", rate = "100 MB/s" })
app1:run(lab.workload.disk{ write = "35 GiB", rate = "100 MB/s" })
app2:run(lab.workload.disk{ write = "35 GiB", rate = "100 MB/s" })
lab.run_for("20 min")
local env_paused = { quiet, app1, app2 }
local was_paused = {}
for i, v in ipairs(env_paused) do was_paused[i] = v.state == "paused" end
print(("H2 before recover: %s; free %s"):format(table.concat((function()
  local t = {}
  for _, v in ipairs(env_paused) do t[#t + 1] = v.name .. " " .. v.state end
  return t
end)(), ", "), lab.format.bytes(small.free)))

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

-- Checks every action before any is applied: a malformed list fails the check with one
-- message naming the action, and nothing is changed.
local function read_actions(list, vms, call)
  if type(list) ~= "table" then
    error(("%s returned %s: return a list of actions, each a table such as { action = ..., vm = ... } "
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
      error(("%s, action %d: %s is not an action table { action = ..., vm = ... }"):format(call, i, quoted(a)), 0)
    end
    local where = ("%s, action %d %s"):format(call, i, show_action(a))
    local fields = ACTIONS[a.action]
    if a.action == nil then
      error(where .. ": it has no action = ... field (the actions are " .. ACTION_LIST .. ")", 0)
    end
    if not fields then error(("%s: unknown action %s (the actions are %s)"):format(where, quoted(a.action), ACTION_LIST), 0) end
    local vm_name = name_of(a.vm)
    if a.vm == nil then error(where .. ": say which VM it is for (vm = a VM's name)", 0) end
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

-- Names of the VMs among `list` that are off, for a message.
local function off_among(list)
  local off = {}
  for _, v in ipairs(list) do if v.state == "off" then off[#off + 1] = v.name end end
  return #off > 0 and table.concat(off, ", ") or "(none)"
end

check("recover(env) on another full datastore", { number = "H2", points = 2, visibility = "after_due_date",
  hide_errors = "On another full datastore, recover(env) failed or returned actions the lab could not apply, left "
             .. "a VM paused or off, kept the snapshot that was no longer needed, or the VMs could not write again." },
  function()
  expect(was_paused[2] and was_paused[3], "the app servers paused (scenario)"):to_be_true()
  local fn = lab.answer(answer, "recover")
  local vms = {}
  for _, v in ipairs(h2.vms) do vms[v.name] = v end
  local ok, list = pcall(fn, { paused = env_paused, test = test, datastore = small })
  if not ok then error("recover(env) failed: " .. tostring(list), 0) end
  apply_actions(read_actions(list, vms, "recover(env)"), "recover(env)")
  local before = {}
  for i, v in ipairs(env_paused) do
    expect(v.state, v.name .. "'s state after the actions"):to_equal("on")
    before[i] = v.disks[1].written
  end
  expect(off_among(h2.vms), "VMs off after the actions"):to_equal("(none)")
  expect(test.snapshots, "the test VM's snapshots after the actions"):to_equal({})
  lab.run_for("30 s")
  for i = 2, 3 do
    expect(env_paused[i].disks[1].written > before[i], env_paused[i].name .. " wrote again"):to_be_true()
  end
end)
