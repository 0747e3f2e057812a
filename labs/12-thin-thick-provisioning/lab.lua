-- Lab 12: thin and thick provisioning — what each takes on the datastore, what it costs
-- to create and to write, and what happens when thin disks over-subscribe a datastore.
local answer = lab.submission("answer.lua")
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

check("recovering", { number = "5", points = 3,
  hint = "Where can space come back from without losing data anyone still needs? And a paused VM waits for an "
      .. "answer to its question." }, function()
  local fn = lab.answer(answer, "recover")
  expect(type(fn), "M.recover should be a function; its type"):to_equal("function")
  local ok, err = pcall(fn, { paused = web, test = test, datastore = small })
  if not ok then lab.feedback("recover(env) failed: " .. tostring(err)) end
  expect(ok, "recover(env) ran without an error"):to_be_true()
  local before = {}
  for i, v in ipairs(web) do
    expect(v.state, v.name .. "'s state right after recover"):to_equal("on")
    before[i] = v.disks[1].written
  end
  expect(test.snapshots, "test's snapshots after recover"):to_equal({})
  lab.run_for("1 min")
  -- they write again (until the datastore fills once more: thin disks still over-subscribe it)
  for i = 1, 2 do
    expect(web[i].disks[1].written > before[i], web[i].name .. " wrote again in the minute after recover"):to_be_true()
  end
end)
