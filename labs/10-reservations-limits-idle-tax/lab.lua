-- Lab 10: memory reservations, limits, shares and the idle memory tax — how ESXi
-- decides whose memory to reclaim. Verdicts come from the simulated hosts.
local answer = lab.submission("answer.lua")
local bytes_of = lab.size_of

local hosts = 0
local function host(memory)
  hosts = hosts + 1
  return lab.host{ name = "esx" .. hosts, cpus = 8, memory = memory }
end

check("a limit on a free host", { number = "1", points = 2,
  hint = "A limit caps the machine memory a VM may use, even when the host has plenty free." }, function()
  local h = host("64 GiB")
  local vm = h:create_vm{ name = "limited", memory = "4 GiB", guest = "ubuntu-22.04", mem = { limit = "2 GiB" } }
  vm:power_on()
  vm:run(lab.workload.memory{ size = "3 GiB", active = "1 GiB", rate = "64 MB/s" })
  lab.run_for("20 min")
  expect(h.memory.state, "host state"):to_equal("high")
  expect(bytes_of(answer.limited_consumed), "M.limited_consumed as a size"):to_be_set()
  expect(bytes_of(answer.limited_consumed), "the limited VM's consumed memory", "bytes"):to_be_near(vm.memory.consumed, "2%")
  local reclaimed = vm.memory.ballooned + vm.memory.compressed + vm.memory.swapped
  expect(reclaimed, "memory reclaimed from the limited VM"):to_be_at_least(lab.bytes("900 MiB"))
end)

check("admission control on reservations", { number = "2", points = 1,
  hint = "A VM powers on only if its reservation and overhead fit in the host's unreserved memory." }, function()
  local h = host("8 GiB")
  h:create_vm{ name = "db", memory = "6 GiB", mem = { reservation = "4 GiB" } }:power_on()
  local app = h:create_vm{ name = "app", memory = "6 GiB", mem = { reservation = "4 GiB" } }
  local ok = pcall(app.power_on, app)
  expect(answer.app_powers_on, "M.app_powers_on"):to_be_set()
  expect(answer.app_powers_on, "whether app powers on"):to_equal(ok)
end)

-- Two 12 GiB VMs with equal shares on a 10 GiB host: one is idle (7 GiB touched, none of
-- it active), the other busy (11 GiB, all active). Targets after 30 min, idle ÷ busy.
local function idle_vs_busy(tax)
  local h = host("10 GiB")
  h.reclaim.idle_tax = tax
  local idle = h:create_vm{ name = h.name .. "-idle", memory = "12 GiB", guest = "ubuntu-22.04" }
  local busy = h:create_vm{ name = h.name .. "-busy", memory = "12 GiB", guest = "ubuntu-22.04" }
  idle:power_on(); busy:power_on()
  idle:run(lab.workload.memory{ size = "7 GiB", active = 0, rate = "512 MB/s" })
  lab.run_for("30 s")
  busy:run(lab.workload.memory{ size = "11 GiB", active = "11 GiB", rate = "16 MB/s" })
  lab.run_for("30 min")
  return idle.memory.target / busy.memory.target
end

check("the idle memory tax: target_ratio(tax)", { number = "3", points = 3,
  hint = "ESXi charges idle pages k = 1/(1 − τ) times an active one when comparing shares per page." }, function()
  expect(answer.target_ratio, "M.target_ratio"):to_be_set()
  local right = 0
  for _, tax in ipairs({ 0, 50, 75 }) do
    local measured = idle_vs_busy(tax)
    local ok, got = pcall(answer.target_ratio, tax / 100)
    if ok and type(got) == "number" and math.abs(got - measured) <= 0.05 then
      right = right + 1
    else
      print(("target_ratio(%.2f): the host gave %.3f, you said %s"):format(tax / 100, measured, tostring(got)))
    end
  end
  partial(right / 3)
  expect(right, "tax settings answered right"):to_equal(3)
end)

check("shares", { number = "4", points = 2,
  hint = "Memory shares are 5, 10 and 20 per MB configured for Low, Normal and High." }, function()
  local h = host("6 GiB")
  local hi = h:create_vm{ name = "gold", memory = "8 GiB", guest = "ubuntu-22.04", mem = { shares = "high" } }
  local lo = h:create_vm{ name = "bronze", memory = "8 GiB", guest = "ubuntu-22.04", mem = { shares = "low" } }
  hi:power_on(); lo:power_on()
  for _, vm in ipairs({ hi, lo }) do vm:run(lab.workload.memory{ size = "7 GiB", active = "7 GiB", rate = "16 MB/s" }) end
  lab.run_for("30 min")
  expect(answer.shares_ratio, "M.shares_ratio"):to_be_set()
  expect(answer.shares_ratio, "gold's target ÷ bronze's"):to_be_near(hi.memory.target / lo.memory.target, 0.1)
end)

check("a reservation under pressure", { number = "5", points = 2,
  hint = "Reserved memory is never reclaimed, whatever the pressure." }, function()
  local h = host("12 GiB")
  local guarded = h:create_vm{ name = "guarded", memory = "8 GiB", guest = "ubuntu-22.04", mem = { reservation = "6 GiB" } }
  guarded:power_on()
  guarded:run(lab.workload.memory{ size = "8 GiB", active = "1 GiB", rate = "256 MB/s" })
  for i = 1, 2 do
    local hog = h:create_vm{ name = "hog" .. i, memory = "8 GiB", guest = "ubuntu-22.04" }
    hog:power_on()
    hog:run(lab.workload.memory{ size = "8 GiB", active = "6 GiB", rate = "64 MB/s" })
  end
  lab.run_for("20 min")
  -- the most reclaimed at any one sample
  local total = {}
  for _, metric in ipairs({ "memory.ballooned", "memory.compressed", "memory.swapped" }) do
    local i = 0
    for _, v in lab.series(guarded, metric):points() do
      i = i + 1
      total[i] = (total[i] or 0) + v
    end
  end
  local most = 0
  for _, v in ipairs(total) do most = math.max(most, v) end
  expect(bytes_of(answer.guarded_max_reclaimed), "M.guarded_max_reclaimed as a size"):to_be_set()
  expect(most, "memory reclaimed from the guarded VM"):to_be_at_most(bytes_of(answer.guarded_max_reclaimed))
  expect(bytes_of(answer.guarded_max_reclaimed), "the most that can be reclaimed from it", "bytes")
    :to_equal(guarded.memory.configured - guarded.memory.reservation)
end)
