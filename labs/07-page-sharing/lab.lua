-- Lab 07: memory overcommitment and transparent page sharing (TPS), with salting, large
-- pages and copy-on-write. Every verdict comes from the simulated hosts' counters.
local answer = lab.submission("answer.lua")

local MiB = lab.bytes("1 MiB")

-- A size answer: a number of bytes or a string such as "256 MiB"; nil when it is not one.
local bytes_of = lab.size_of
local function size_of(name) return lab.answer_bytes(answer, name) end

-- Four 4 GiB Ubuntu VMs; each guest writes 2 GiB: its 256 MiB OS image first, then
-- data of which 10 % is zero pages. `setup(h, vm)` may change each VM before power-on.
local hosts = 0
local function scenario(options)
  hosts = hosts + 1
  local h = lab.host{ name = "esx" .. hosts, cpus = 8, memory = options.memory or "32 GiB" }
  h.reclaim.tps.salting = options.salting or 2
  h.reclaim.tps.large_pages = options.large_pages or false
  local vms = {}
  for i, name in ipairs(options.names or { "vm1", "vm2", "vm3", "vm4" }) do
    local salt = options.salts and options.salts[name] or nil
    vms[i] = h:create_vm{ name = h.name .. "-" .. name, memory = "4 GiB", guest = "ubuntu-22.04",
                          mem = { share_salt = salt } }
    vms[i]:power_on()
    vms[i].guest:touch("2 GiB", { zero = 0.1 })
  end
  lab.run_for("2 h")  -- TPS scans each VM once an hour (Mem.ShareScanTime)
  return h, vms
end

check("memory overcommitment", { number = "1", points = 1,
  hint = "Overcommitment compares the memory configured for powered-on VMs with machine memory." }, function()
  local h = lab.host{ name = "small", cpus = 8, memory = "16 GiB" }
  for i = 1, 6 do h:create_vm{ name = "oc" .. i, memory = "4 GiB" }:power_on() end
  expect(answer.overcommit, "M.overcommit"):to_be_set()
  expect(answer.overcommit, "overcommitment ratio"):to_be_near(h.memory.overcommit, 0.01)
end)

local saved = {}
for _, salting in ipairs({ 0, 1, 2 }) do
  local h = scenario{ salting = salting }
  saved[salting] = h.memory.shared_saved
end

check("savings under each salting setting: saved(salting)", { number = "2", points = 3,
  hint = "Salting 2 (the default since 2015) lets a VM share only with itself; salting 0 and 1 (no salts) let all VMs share." },
  function()
  expect(answer.saved, "M.saved"):to_be_set()
  local right = 0
  for _, salting in ipairs({ 0, 1, 2 }) do
    local ok, got = pcall(answer.saved, salting)
    local bytes = ok and bytes_of(got) or nil
    if bytes and math.abs(bytes - saved[salting]) <= 0.02 * saved[salting] then
      right = right + 1
    else
      print(("saved(%d): the host saved %s, you said %s"):format(salting, lab.format.bytes(saved[salting]), tostring(got)))
    end
  end
  partial(right / 3)
  expect(right, "settings answered right"):to_equal(3)
end)

check("salts for two groups", { number = "3", points = 2,
  hint = "Under salting 2, VMs with the same sched.mem.pshare.salt may share with each other." }, function()
  expect(answer.salts, "M.salts"):to_be_set()
  local h = scenario{ names = { "web1", "web2", "db1", "db2" }, salts = answer.salts }
  -- the web VMs share their image with each other, the db VMs with each other, not across
  local expected = saved[2] + 2 * 256 * MiB
  expect(h.memory.shared_saved, "memory saved with your salts"):to_be_near(expected, "1%")
end)

check("large pages", { number = "4", points = 2,
  hint = "ESXi backs guests with 2 MB pages, which TPS does not share; it breaks them once the host leaves the high state." },
  function()
  local roomy = scenario{ salting = 0, large_pages = true, memory = "32 GiB" }
  local tight = scenario{ salting = 0, large_pages = true, memory = "10 GiB" }
  expect(size_of("saved_with_large_pages"), "saved on the roomy host", "bytes")
    :to_be_near(roomy.memory.shared_saved, 16 * MiB)
  expect(answer.large_pages_broken_below, "M.large_pages_broken_below"):to_be_set()
  -- the tight host dips into clear, breaks its large pages and shares until it is back in high
  local function broke(h) return #lab.events{ kind = "memory.share", subject = h } > 0 end
  local left_high = #lab.events{ kind = "memory.state", subject = tight } > 0
  local truth = (broke(tight) and left_high and not broke(roomy)) and "high" or "no state (never broken)"
  expect(answer.large_pages_broken_below, "the state below which large pages are broken"):to_equal(truth)
end)

check("copy-on-write", { number = "5", points = 2,
  hint = "A guest writing a shared page gets a private copy; the shared frame stays for the others." }, function()
  local h, vms = scenario{ salting = 0 }
  local before = h.memory.shared_saved
  vms[1].guest:write("256 MiB", "image")   -- an OS update rewrites vm1's image
  lab.run_for("10 min")
  expect(size_of("saved_drop_after_update"), "drop of the savings", "bytes")
    :to_be_near(before - h.memory.shared_saved, 4 * MiB)
end)
