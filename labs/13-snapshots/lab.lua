-- Lab 13: snapshots — deltas, what they cost on the datastore, revert and consolidation,
-- and what a snapshot changes for a VM on a nearly full datastore.
-- Every expected value comes from the simulated datastore; failed checks show students
-- their own value, whether it is too high or too low, and a hint.
local answer = lab.submission("answer.lua", { simulate = false })
lab.reveal("direction")   -- numbers: also say too high or too low, never the value

local function size_of(name) return lab.answer_bytes(answer, name) end

-- A size as people read it, with the exact bytes when the rounded form would hide a difference.
local function show_bytes(v)
  local s = lab.format.bytes(v)
  local ok, back = pcall(lab.bytes, s)
  if ok and back == v then return s end
  return ("%s (%d bytes)"):format(s, math.floor(v))
end

-- A function the student wrote: anything else fails the check with one message.
local function student_function(name)
  local f = lab.answer(answer, name)
  if type(f) ~= "function" then
    error(("M.%s: a function was asked, got %s"):format(name, type(f) == "string" and ("%q"):format(f) or tostring(f)), 0)
  end
  return f
end

-- A true/false answer: missing answers fail the check with their name, other kinds are
-- reported once and count as wrong.
local function verdicts(questions)
  local right = 0
  for _, q in ipairs(questions) do
    local given = lab.answer(answer, q.name)
    if type(given) ~= "boolean" then
      lab.feedback(("M.%s: %s is not true or false"):format(q.name,
        type(given) == "string" and ("%q"):format(given) or tostring(given)))
    elseif given == q.truth then
      right = right + 1
    end
    print(("M.%s = %s, the model says %s"):format(q.name, tostring(given), tostring(q.truth)))
  end
  partial(right / #questions)
  expect(right, "answers right", "count"):to_equal(#questions)
end

local ds = lab.datastore{ name = "ds1", capacity = "500 GiB", kind = "ssd" }
local h = lab.host{ name = "esx01", cpus = 8, memory = "64 GiB", datastores = { ds } }
local db = h:create_vm{ name = "db", memory = "2 GiB", mem = { reservation = "2 GiB" },
                        disks = { { size = "20 GiB", provisioning = "thin" } } }
db:power_on()
local function write(bytes, rewrite)
  local w = db:run(lab.workload.disk{ write = bytes, rate = "1 GB/s", rewrite = rewrite })
  lab.run_until(function() return not w.running end, "1 h")
end
write("8 GiB", false)
db:snapshot("before-upgrade")
write("2 GiB", true)                      -- the upgrade rewrites 2 GiB of existing data
local delta_after_upgrade = db.disks[1].deltas[1]
write("1 GiB", false)                     -- and adds 1 GiB of new data
local delta_after_new = db.disks[1].deltas[1]
write("9 GiB", true)                      -- a full pass over the 9 GiB of data
write("9 GiB", true)                      -- and another
local delta_after_passes = db.disks[1].deltas[1]

local delta_hint = "After a snapshot, which writes land in the delta, and does writing the same block again take more room?"
check("the delta after the upgrade", { number = "1.1", points = 1, hint = delta_hint }, function()
  expect(size_of("delta_after_upgrade"), "the delta after the upgrade", "bytes"):to_equal(delta_after_upgrade)
end)
check("the delta after new data", { number = "1.2", points = 1, hint = delta_hint }, function()
  expect(size_of("delta_after_new"), "the delta after 1 GiB of new data", "bytes"):to_equal(delta_after_new)
end)
check("the delta after two full rewrites", { number = "1.3", points = 1, hint = delta_hint }, function()
  expect(size_of("delta_after_two_passes"), "the delta after two full rewrites", "bytes"):to_equal(delta_after_passes)
end)

-- delta_size(data, rewritten, new) on the two situations above, measured on db, and on a
-- test VM that holds 5 GiB when its snapshot is taken, rewrites 12 GiB, then writes 2 GiB new.
local test = h:create_vm{ name = "test", memory = "1 GiB", mem = { reservation = "1 GiB" },
                          disks = { { size = "30 GiB", provisioning = "thin" } } }
test:power_on()
local function test_write(bytes, rewrite)
  local w = test:run(lab.workload.disk{ write = bytes, rate = "1 GB/s", rewrite = rewrite })
  lab.run_until(function() return not w.running end, "1 h")
end
test_write("5 GiB", false)
test:snapshot("s")
test_write("12 GiB", true)
test_write("2 GiB", false)
local test_delta = test.disks[1].deltas[1]
test:power_off()

local delta_cases = {
  { data = lab.bytes("8 GiB"), rewritten = lab.bytes("2 GiB"), new = 0, delta = delta_after_upgrade },
  { data = lab.bytes("8 GiB"), rewritten = lab.bytes("2 GiB"), new = lab.bytes("1 GiB"), delta = delta_after_new },
  { data = lab.bytes("5 GiB"), rewritten = lab.bytes("12 GiB"), new = lab.bytes("2 GiB"), delta = test_delta },
}
check("delta_size(data, rewritten, new)", { number = "1.4", points = 1, reveal = "value", hint = delta_hint }, function()
  local f = student_function("delta_size")
  local right = 0
  for _, c in ipairs(delta_cases) do
    local call = ("delta_size(%s, %s, %s)"):format(show_bytes(c.data), show_bytes(c.rewritten), show_bytes(c.new))
    local ok, got = pcall(f, c.data, c.rewritten, c.new)
    local b = ok and lab.size_of(got) or nil
    if not ok then
      lab.feedback(call .. " failed: " .. tostring(got))
    elseif b == nil then
      lab.feedback(("%s returned %s, which is not a size (give bytes or a string such as \"2 GiB\")")
        :format(call, tostring(got)))
    elseif math.abs(b - c.delta) <= lab.bytes("1 MiB") then
      right = right + 1
    else
      lab.feedback(("%s returned %s: not the delta's size (%s)"):format(call, show_bytes(b),
        b > c.delta and "too high" or "too low"))
    end
    print(("%s: answered %s, the delta is %s"):format(call, tostring(got), show_bytes(c.delta)))
  end
  partial(right / #delta_cases)
  expect(right, "cases answered right", "count"):to_equal(#delta_cases)
end)

db:snapshot("after-upgrade")
db:snapshot("after-tests")
local provisioned = db.disks[1].provisioned

check("the worst case", { number = "2", points = 1,
  hint = "Count the files the disk has now, the base and one delta per snapshot: how large may each become?" }, function()
  expect(size_of("provisioned_with_three_snapshots"), "what the disk may grow to with 3 snapshots", "bytes")
    :to_equal(provisioned)
end)

db:power_off()
local used_before_revert = ds.used
db:revert("before-upgrade")
local freed_by_revert = used_before_revert - ds.used
local data_after_revert = db.disks[1].written

local revert_hint = "What does a revert throw away, and what was on the disk when the snapshot was taken?"
check("space freed by the revert", { number = "3.1", points = 1, hint = revert_hint }, function()
  expect(size_of("freed_by_revert"), "space freed by reverting to before-upgrade", "bytes"):to_equal(freed_by_revert)
end)
check("data after the revert", { number = "3.2", points = 1, hint = revert_hint }, function()
  expect(size_of("data_after_revert"), "data on the disk after the revert", "bytes"):to_equal(data_after_revert)
end)

-- A thick-provisioned VM on a small datastore, first without a snapshot, then with one.
local tight = lab.datastore{ name = "tight", capacity = "24 GiB", kind = "ssd" }
local h2 = lab.host{ name = "esx02", cpus = 8, memory = "64 GiB", datastores = { tight } }
local erp = h2:create_vm{ name = "erp", memory = "2 GiB", mem = { reservation = "2 GiB" },
                          disks = { { size = "20 GiB", provisioning = "thick-lazy" } } }
erp:power_on()
erp:run(lab.workload.disk{ write = "15 GiB", rate = "1 GB/s" })
lab.run_for("2 min")
local paused_without_snapshot = erp.state == "paused"
erp:snapshot("backup")
erp:run(lab.workload.disk{ write = "10 GiB", rate = "1 GB/s", rewrite = true })
lab.run_for("2 min")
local paused_with_snapshot = erp.state == "paused"

check("snapshots and out-of-space", { number = "4", points = 2, reveal = "value",
  hint = "Which writes need new blocks on the datastore, and how much room is left on it for them?" }, function()
  verdicts{
    { name = "thick_pauses_without_snapshot", truth = paused_without_snapshot },
    { name = "thick_pauses_with_snapshot", truth = paused_with_snapshot },
  }
end)

-- 5. A submission cannot change the lab's datacenter: consolidate(vm) RETURNS the
-- administrator's actions as data, and the lab checks them and applies them itself, in
-- order, to its own VM. The vocabulary (each action a table):
--   { action = "delete_snapshot", snapshot = NAME }     consolidate the snapshot
--   { action = "revert", snapshot = NAME }              go back to it (VM off)
--   { action = "power_off" }
--   { action = "answer", choice = "retry" | "cancel" }  answer a paused VM
-- each with an optional vm = the VM's name (or the VM): by default the VM consolidate got.
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

check("consolidation", { number = "5", points = 2,
  hint = "A paused VM needs space back and an answer to its question: look at vm.question, vm.snapshots "
    .. "and what deleting a snapshot does to its delta (docs/storage.md)." }, function()
  local consolidate = student_function("consolidate")
  local ok, list = pcall(consolidate, erp)
  if not ok then error("consolidate(vm) failed: " .. tostring(list), 0) end
  apply_actions(read_actions(list, { [erp.name] = erp }, "consolidate(vm)", erp), "consolidate(vm)")
  expect(erp.snapshots, "erp's snapshots after your actions"):to_equal({})
  expect(erp.state, "erp's state after your actions"):to_equal("on")
  expect(erp.disks[1].used, "erp's disk on the datastore after your actions", "bytes"):to_equal(erp.disks[1].size)
end)

return { read_actions = read_actions, apply_actions = apply_actions }
