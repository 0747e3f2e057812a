-- Lab 12: thin and thick provisioning — what each takes on the datastore, what it costs
-- to create and to write, and what happens when thin disks over-subscribe a datastore.
local answer = lab.submission("answer.lua", { simulate = false })
local bytes_of = lab.size_of

-- A value a student's function returned, as students read it.
local function shown(v)
  if type(v) == "number" then return lab.format.bytes(v) .. (v >= 1024 and (" (%d bytes)"):format(math.floor(v)) or "") end
  if type(v) == "string" then return ("%q"):format(v) end
  return tostring(v)
end

-- A ratio: a number, or a string such as "2" or "150%".
local function ratio_answer(name)
  local v = lab.answer(answer, name)
  if type(v) == "string" then
    local p = tonumber(v:match("^%s*([%d.]+)%s*%%%s*$") or "")
    if p then return p / 100 end
  end
  return v
end

local GiB = lab.bytes("1 GiB")
local stores = 0
local function datastore(capacity, kind)
  stores = stores + 1
  return lab.datastore{ name = "ds" .. stores, capacity = capacity, kind = kind or "ssd" }
end

-- Three 40 GiB disks, one of each type, on an SSD datastore (400 MB/s of writes).
local ssd = datastore("500 GiB")
local h = lab.host{ name = "esx01", cpus = 8, memory = "64 GiB", datastores = { ssd } }
local disks = {}
for _, kind in ipairs({ "thin", "thick-lazy", "thick-eager" }) do
  local vm = h:create_vm{ name = kind, memory = "1 GiB", mem = { reservation = "1 GiB" },
                          disks = { { size = "40 GiB", provisioning = kind } } }
  disks[kind] = vm
end
local used_at_creation = {}
for kind, vm in pairs(disks) do used_at_creation[kind] = vm.disks[1].used end
local eager = disks["thick-eager"]
local started = lab.now()
lab.run_until(function() return eager.disks[1].ready end, "1 h")
local zeroing_seconds = lab.now() - started

check("space at creation: used_at_creation(provisioning, size)", { number = "1", points = 2, reveal = "value",
  hint = "For each type, ask when its blocks are taken from the datastore: at creation, or only when the guest "
      .. "first writes them?" }, function()
  local fn = lab.answer(answer, "used_at_creation")
  expect(type(fn), "M.used_at_creation should be a function; its type"):to_equal("function")
  local right = 0
  for _, kind in ipairs({ "thin", "thick-lazy", "thick-eager" }) do
    local ok, got = pcall(fn, kind, 40 * GiB)
    local b = ok and bytes_of(got) or nil
    if b == used_at_creation[kind] then
      right = right + 1
    else
      local said = not ok and ("an error: " .. tostring(got))
                   or (b == nil and (shown(got) .. ", which is not a size"))
                   or shown(got)
      lab.feedback(("used_at_creation(%q, 40 GiB) returned %s"):format(kind, said))
      print(("used_at_creation(%q): the datastore shows %s"):format(kind, lab.format.bytes(used_at_creation[kind])))
    end
  end
  partial(right / 3)
  expect(right, "types answered right", "count"):to_equal(3)
end)

check("creating an eager-zeroed disk", { number = "2", points = 1, reveal = "direction",
  hint = "What must the datastore write before the disk is ready, and how fast can it write? Mind the units "
      .. "(KB, MB and GB are binary)." }, function()
  print(("the eager-zeroed disk was ready after %.1f s"):format(zeroing_seconds))
  expect(lab.answer(answer, "eager_zeroing_seconds", "seconds"), "M.eager_zeroing_seconds", "seconds")
    :to_be_near(zeroing_seconds, "5%")
end)

-- Each VM writes 10 GiB of new data, one after the other, as fast as the datastore allows.
local function write_time(vm, rewrite)
  vm:power_on()
  local w = vm:run(lab.workload.disk{ write = "10 GiB", rate = "4 GB/s", rewrite = rewrite })
  local t0 = lab.now()
  lab.run_until(function() return not w.running end, "1 h")
  local t = lab.now() - t0
  vm:power_off()
  return t
end
local first_lazy = write_time(disks["thick-lazy"], false)
local first_eager = write_time(eager, false)
local second_lazy = write_time(disks["thick-lazy"], true)

print(("10 GiB: first write on lazy %.1f s, on eager %.1f s, rewrite on lazy %.1f s"):format(
  first_lazy, first_eager, second_lazy))

check("the first-write penalty", { number = "3.1", points = 1, reveal = "direction",
  hint = "How many bytes does the datastore write for a block that a lazy-zeroed disk writes for the first time? "
      .. "And an eager-zeroed one?" }, function()
  expect(ratio_answer("first_write_ratio"), "M.first_write_ratio (first write on lazy ÷ first write on eager)")
    :to_be_near(first_lazy / first_eager, 0.1)
end)

check("rewriting a lazy-zeroed disk", { number = "3.2", points = 1, reveal = "direction",
  hint = "Once a lazy-zeroed block has been written, what is left to do when the guest writes it again?" }, function()
  expect(ratio_answer("second_write_ratio"), "M.second_write_ratio (rewrite on lazy ÷ first write on eager)")
    :to_be_near(second_lazy / first_eager, 0.1)
end)

-- Over-subscription: a 100 GiB datastore, three thin 50 GiB web servers and a 20 GiB
-- thick-lazy database; a test VM holds a snapshot whose delta took 12 GiB.
local small = datastore("100 GiB")
local h2 = lab.host{ name = "esx02", cpus = 8, memory = "64 GiB", datastores = { small } }
local function vm(name, size, kind)
  local v = h2:create_vm{ name = name, memory = "1 GiB", mem = { reservation = "1 GiB" },
                          disks = { { size = size, provisioning = kind } } }
  v:power_on()
  return v
end
local test = vm("test", "20 GiB", "thin")
test:run(lab.workload.disk{ write = "12 GiB", rate = "1 GB/s" })
lab.run_for("1 min")
test:snapshot("before-patch")
test:run(lab.workload.disk{ write = "12 GiB", rate = "1 GB/s", rewrite = true })
lab.run_for("1 min")
local web = { vm("web1", "50 GiB", "thin"), vm("web2", "50 GiB", "thin"), vm("web3", "50 GiB", "thin") }
local db = vm("db", "20 GiB", "thick-lazy")
local provisioned_percent = small.provisioned / small.capacity * 100
for i, v in ipairs(web) do v:run(lab.workload.disk{ write = ({ "40 GiB", "30 GiB", "5 GiB" })[i], rate = "100 MB/s" }) end
db:run(lab.workload.disk{ write = "100 GiB", rate = "20 MB/s", rewrite = true })
lab.run_for("20 min")
local paused = {}
for _, v in ipairs({ test, web[1], web[2], web[3], db }) do
  if v.state == "paused" then paused[#paused + 1] = v.name end
end

print(("ds2: provisioned %s of %s (%.1f %%); paused: %s"):format(lab.format.bytes(small.provisioned),
  lab.format.bytes(small.capacity), provisioned_percent, table.concat(paused, ", ")))

check("over-subscription: provisioned space", { number = "4.1", points = 1, reveal = "direction",
  hint = "Provisioned space is what the files on the datastore may grow to, not what they use now. Which files "
      .. "are there (ds.files), and how large can each one become?" }, function()
  expect(lab.answer(answer, "provisioned_percent", "%"), "M.provisioned_percent", "%")
    :to_be_near(provisioned_percent, 2)
end)

-- Names of VMs: a list of names (or of VMs), or one string such as "web1, web2".
local function names_of(v)
  local list = {}
  if type(v) == "string" then
    for n in v:gmatch("[^%s,;]+") do list[#list + 1] = n end
  elseif type(v) == "table" then
    for _, x in ipairs(v) do
      local ok, name = pcall(function() return type(x) == "string" and x or x.name end)
      list[#list + 1] = ok and tostring(name) or tostring(x)
    end
  else
    return nil
  end
  table.sort(list)
  return list
end

check("over-subscription: which VMs pause", { number = "4.2", points = 1,
  hint = "When the datastore is full, which writes still find their blocks already allocated, and which need new ones?" },
  function()
  local said = names_of(lab.answer(answer, "paused"))
  expect(said ~= nil, "M.paused is a list of VM names such as { \"vmA\", \"vmB\" }"):to_be_true()
  local function list(names) return #names > 0 and table.concat(names, ", ") or "(none)" end
  expect(list(said), "M.paused (sorted)"):to_equal(list(paused))
end)

-- 5. A submission cannot change the lab's datacenter: recover(env) RETURNS the
-- administrator's actions as data, and the lab checks them and applies them itself, in
-- order, to its own VMs. The vocabulary (each action a table):
--   { action = "delete_snapshot", vm = NAME, snapshot = NAME }  consolidate the snapshot
--   { action = "revert", vm = NAME, snapshot = NAME }           go back to it (VM off)
--   { action = "power_off", vm = NAME }
--   { action = "answer", vm = NAME, choice = "retry" | "cancel" } answer a paused VM
-- `vm` is a VM's name (or the VM object itself).
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

check("recovering", { number = "5", points = 3,
  hint = "Where can space come back from without losing data anyone still needs, or stopping a VM? And a paused "
      .. "VM waits for an answer to its question." }, function()
  local fn = lab.answer(answer, "recover")
  expect(type(fn), "M.recover should be a function; its type"):to_equal("function")
  local vms = {}
  for _, v in ipairs(h2.vms) do vms[v.name] = v end
  local ok, list = pcall(fn, { paused = web, test = test, datastore = small })
  if not ok then error("recover(env) failed: " .. tostring(list), 0) end
  apply_actions(read_actions(list, vms, "recover(env)"), "recover(env)")
  local before = {}
  for i, v in ipairs(web) do
    expect(v.state, v.name .. "'s state after your actions"):to_equal("on")
    before[i] = v.disks[1].written
  end
  expect(off_among(h2.vms), "VMs off after your actions"):to_equal("(none)")
  expect(test.snapshots, "test's snapshots after your actions"):to_equal({})
  lab.run_for("1 min")
  -- they write again (until the datastore fills once more: thin disks still over-subscribe it)
  for i = 1, 2 do
    expect(web[i].disks[1].written > before[i], web[i].name .. " wrote again in the minute after your actions"):to_be_true()
  end
end)

return { read_actions = read_actions, apply_actions = apply_actions, off_among = off_among }
