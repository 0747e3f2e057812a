-- Lab 12: thin and thick provisioning — what each takes on the datastore, what it costs
-- to create and to write, and what happens when thin disks over-subscribe a datastore.
local answer = lab.submission("answer.lua")
local bytes_of = lab.size_of

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

check("space at creation: used_at_creation(provisioning)", { number = "1", points = 2,
  hint = "Thin allocates on first write; both thick types allocate everything at creation." }, function()
  expect(answer.used_at_creation, "M.used_at_creation"):to_be_set()
  local right = 0
  for _, kind in ipairs({ "thin", "thick-lazy", "thick-eager" }) do
    local ok, got = pcall(answer.used_at_creation, kind, 40 * GiB)
    if ok and bytes_of(got) == used_at_creation[kind] then right = right + 1 else
      print(("used_at_creation(%q): the datastore shows %s"):format(kind, lab.format.bytes(used_at_creation[kind])))
    end
  end
  partial(right / 3)
  expect(right, "types answered right"):to_equal(3)
end)

check("creating an eager-zeroed disk", { number = "2", points = 1,
  hint = "Eager zeroing writes zeros over the whole disk at the datastore's write bandwidth." }, function()
  expect(answer.eager_zeroing_seconds, "M.eager_zeroing_seconds"):to_be_set()
  expect(answer.eager_zeroing_seconds, "seconds to create the 40 GiB eager-zeroed disk", "seconds")
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

check("the first-write penalty", { number = "3", points = 2,
  hint = "A lazy-zeroed block is zeroed on its first write: a zero-fill and then the write." }, function()
  expect(answer.first_write_ratio, "M.first_write_ratio"):to_be_set()
  expect(answer.first_write_ratio, "first write on lazy ÷ first write on eager"):to_be_near(first_lazy / first_eager, 0.1)
  expect(answer.second_write_ratio, "M.second_write_ratio"):to_be_set()
  expect(answer.second_write_ratio, "second write on lazy ÷ first write on eager"):to_be_near(second_lazy / first_eager, 0.1)
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

check("over-subscription", { number = "4", points = 2,
  hint = "Only VMs whose writes need new blocks stop when the datastore is full." }, function()
  expect(answer.provisioned_percent, "M.provisioned_percent"):to_be_set()
  expect(answer.provisioned_percent, "provisioned ÷ capacity", "%"):to_be_near(provisioned_percent, 2)
  expect(answer.paused, "M.paused"):to_be_set()
  local said = {}
  for _, n in ipairs(answer.paused) do said[#said + 1] = n end
  table.sort(said)
  expect(table.concat(said, ","), "the VMs paused with a question"):to_equal(table.concat(paused, ","))
end)

check("recovering", { number = "5", points = 3, depends = "over-subscription",
  hint = "Free space first (a snapshot's delta is only needed to go back), then answer the questions." }, function()
  expect(answer.recover, "M.recover"):to_be_set()
  local ok, err = pcall(answer.recover, { paused = web, test = test, datastore = small })
  expect(ok, "recover ran without an error: " .. tostring(err)):to_be_true()
  local before = {}
  for i, v in ipairs(web) do
    expect(v.state, v.name .. " right after recover"):to_equal("on")
    before[i] = v.disks[1].written
  end
  expect(test.snapshots, "test's snapshots"):to_equal({})
  lab.run_for("1 min")
  -- they write again (until the datastore fills once more: thin disks still over-subscribe it)
  for i = 1, 2 do expect(web[i].disks[1].written > before[i], web[i].name .. " writes again"):to_be_true() end
end)
