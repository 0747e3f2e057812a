-- Lab 04: CPU shares, reservations and limits on ESXi's proportional-share scheduler,
-- and admission control. Verdicts come from the simulated hosts.
local answer = lab.submission("answer.lua")

local hosts = 0
local function host(cpus)
  hosts = hosts + 1
  return lab.host{ name = "esx" .. hosts, cpus = cpus, mhz = "2 GHz", memory = "64 GiB" }
end

-- Runs busy VMs (one per entry: { vcpus, cpu allocation }) for two minutes; returns them
-- with their mean MHz used and %RUN / %RDY / %MLMTD, then powers them off.
local function run(h, specs)
  local vms = {}
  for i, spec in ipairs(specs) do
    vms[i] = h:create_vm{ name = h.name .. "-vm" .. i, vcpus = spec[1], memory = "1 GiB", cpu = spec[2] }
    vms[i]:power_on()
    if spec[3] ~= false then vms[i]:run(lab.workload.busy(spec[1])) end
  end
  lab.run_for("2 min")
  local out = {}
  for i, vm in ipairs(vms) do
    local s = function(m) return lab.series(vm, m):mean() end
    out[i] = { mhz = s("cpu.used_mhz"), run = s("cpu.run"), ready = s("cpu.ready"), limited = s("cpu.limited") }
    vm:power_off()
  end
  return out
end

check("shares under contention: share(a, b)", { number = "1", points = 2,
  hint = "Contended CPU is divided in proportion to shares." }, function()
  expect(answer.share, "M.share"):to_be_set()
  local right, cases = 0, { { "high", "normal", 2000, 1000 }, { "low", "high", 500, 2000 },
                            { "normal", "normal", 1000, 1000 } }
  for _, c in ipairs(cases) do
    local r = run(host(1), { { 1, { shares = c[1] } }, { 1, { shares = c[2] } } })
    local measured = r[1].run / 100
    local ok, got = pcall(answer.share, c[3], c[4])
    if ok and type(got) == "number" and math.abs(got - measured) <= 0.02 then
      right = right + 1
    else
      print(("share(%d, %d): the host gave %.3f, you said %s"):format(c[3], c[4], measured, tostring(got)))
    end
  end
  partial(right / #cases)
  expect(right, "cases within 0.02"):to_equal(#cases)
end)

check("shares without contention", { number = "2", points = 1,
  hint = "Shares only matter when vCPUs compete for pCPUs." }, function()
  local r = run(host(2), { { 1, { shares = "high" } }, { 1, { shares = "low" } } })
  expect(answer.low_share_run_without_contention, "M.low_share_run_without_contention"):to_be_set()
  expect(answer.low_share_run_without_contention, "%RUN of the Low VM", "%"):to_be_near(r[2].run, 1)
end)

check("admission control: admits(capacity, reserved, request)", { number = "3", points = 2,
  hint = "A VM powers on only if its reservation fits the host's unreserved CPU." }, function()
  expect(answer.admits, "M.admits"):to_be_set()
  local right, cases = 0, { { 6000, 5000 }, { 6000, 4000 }, { 0, 10000 }, { 9000, 1500 } }
  for _, c in ipairs(cases) do
    local h = host(5)  -- 10 GHz
    if c[1] > 0 then
      local a = h:create_vm{ name = h.name .. "-a", vcpus = 5, memory = "1 GiB", cpu = { reservation = c[1] } }
      a:power_on()
    end
    local b = h:create_vm{ name = h.name .. "-b", vcpus = 5, memory = "1 GiB", cpu = { reservation = c[2] } }
    local actual = pcall(b.power_on, b)
    local ok, got = pcall(answer.admits, 10000, c[1], c[2])
    if ok and got == actual then
      right = right + 1
    else
      print(("admits(10000, %d, %d): the host said %s, you said %s"):format(c[1], c[2], tostring(actual), tostring(got)))
    end
    for _, vm in ipairs(h.vms) do if vm.state == "on" then vm:power_off() end end
  end
  partial(right / #cases)
  expect(right, "cases right"):to_equal(#cases)
end)

local idle_reserved = run(host(5), { { 4, { reservation = "6 GHz" }, false }, { 4, { reservation = "4 GHz" } } })
check("an idle VM's reservation is not wasted", { number = "4", points = 2,
  hint = "Reservations are guarantees, not caps: capacity a reserving VM does not use goes to others." }, function()
  expect(answer.busy_mhz_while_reserver_idle, "M.busy_mhz_while_reserver_idle"):to_be_set()
  expect(answer.busy_mhz_while_reserver_idle, "MHz used by the busy VM", "MHz"):to_be_near(idle_reserved[2].mhz, 40)
end)

local limited = run(host(1), { { 1, { limit = "500 MHz" } } })
check("a limit on an idle host", { number = "5", points = 2,
  hint = "A limit holds a VM back even when nothing else wants the CPU; esxtop shows that time as %MLMTD." }, function()
  expect(answer.limited_run, "M.limited_run"):to_be_set()
  expect(answer.limited_mlmtd, "M.limited_mlmtd"):to_be_set()
  expect(answer.limited_run, "%RUN", "%"):to_be_near(limited[1].run, 1)
  expect(answer.limited_mlmtd, "%MLMTD", "%"):to_be_near(limited[1].limited, 1)
end)

check("your allocation settings", { number = "6", points = 4,
  hint = "A reservation guarantees a minimum under contention; a limit caps a VM even when the host is idle." }, function()
  expect(answer.web_cpu, "M.web_cpu"):to_be_set()
  expect(answer.batch_cpu, "M.batch_cpu"):to_be_set()
  -- contended: web against 3 busy normal VMs on 2 pCPUs (4 GHz)
  local busy = run(host(2), { { 2, answer.web_cpu }, { 2, {} }, { 2, {} }, { 2, {} } })
  -- idle host: batch alone
  local alone = run(host(2), { { 2, answer.batch_cpu } })
  print(("web got %.0f MHz under contention; batch used %.0f MHz alone"):format(busy[1].mhz, alone[1].mhz))
  local right = 0
  if busy[1].mhz >= 1500 * 0.98 then right = right + 1 end
  if alone[1].mhz <= 1000 * 1.02 then right = right + 1 end
  partial(right / 2)
  expect(busy[1].mhz, "web under contention", "MHz"):to_be_at_least(1500 * 0.98)
  expect(alone[1].mhz, "batch on an idle host", "MHz"):to_be_at_most(1000 * 1.02)
end)
