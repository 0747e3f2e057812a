-- Lab 05: Xen's credit scheduler — weights, caps, credits and BOOST.
-- Every answer is checked against domains run on a simulated Xen host.
local answer = lab.submission("answer.lua")

local hosts = 0
-- Busy 1-vCPU domains (their cpu settings) on a 1-pCPU Xen host for one minute;
-- returns each domain's mean %RUN and %MLMTD, then powers them off.
local function domains(settings, workload)
  hosts = hosts + 1
  local h = lab.host{ name = "xen" .. hosts, cpus = 1, mhz = "2 GHz", memory = "16 GiB", scheduler = "credit" }
  local vms = {}
  for i, cpu in ipairs(settings) do
    vms[i] = h:create_vm{ name = h.name .. "-dom" .. i, memory = "1 GiB", cpu = cpu }
    vms[i]:power_on()
    vms[i]:run(workload and workload[i] or lab.workload.busy())
  end
  lab.run_for("1 min")
  local out = {}
  for i, vm in ipairs(vms) do
    out[i] = { run = lab.series(vm, "cpu.run"):mean(), limited = lab.series(vm, "cpu.limited"):mean(),
               ready = lab.series(vm, "cpu.ready"):mean() }
    vm:power_off()
  end
  return out
end

local function close(given, measured, tolerance)
  return type(given) == "number" and math.abs(given - measured) <= tolerance
end

check("weights: share(w1, w2)", { number = "1", points = 2,
  hint = "Credit is shared by weight; a domain out of credit (OVER) runs only after those with credit (UNDER)." }, function()
  expect(answer.share, "M.share"):to_be_set()
  local right, cases = 0, { { 512, 256 }, { 256, 256 }, { 100, 300 } }
  for _, c in ipairs(cases) do
    local r = domains({ { weight = c[1] }, { weight = c[2] } })
    local ok, got = pcall(answer.share, c[1], c[2])
    if ok and close(got, r[1].run / 100, 0.02) then
      right = right + 1
    else
      print(("share(%d, %d): the host gave %.3f, you said %s"):format(c[1], c[2], r[1].run / 100, tostring(got)))
    end
  end
  partial(right / #cases)
  expect(right, "cases within 0.02"):to_equal(#cases)
end)

check("caps on an idle host: capped_run(cap)", { number = "2", points = 2,
  hint = "A cap is a % of one pCPU, enforced even when nothing else runs; 0 means no cap." }, function()
  expect(answer.capped_run, "M.capped_run"):to_be_set()
  local right, cases = 0, { 50, 0, 25 }
  for _, cap in ipairs(cases) do
    local r = domains({ { cap = cap } })
    local ok, got = pcall(answer.capped_run, cap)
    if ok and close(got, r[1].run, 1.5) then
      right = right + 1
    else
      print(("capped_run(%d): the host gave %.1f %%, you said %s"):format(cap, r[1].run, tostring(got)))
    end
  end
  partial(right / #cases)
  expect(right, "cases within 1.5 points"):to_equal(#cases)
end)

check("credit arithmetic", { number = "3", points = 2,
  hint = "credit.c: 10 credits per ms of CPU; a 30 ms time slice." }, function()
  expect(answer.credits_burned_per_slice, "credits a vCPU burns in one full 30 ms slice"):to_equal(300)
  expect(answer.credit_floor, "the lowest credit a vCPU can have"):to_equal(-300)
end)

check("priorities: priority(credit)", { number = "4", points = 1 }, function()
  expect(answer.priority, "M.priority"):to_be_set()
  expect(answer.priority(120), "priority with credit 120"):to_equal("UNDER")
  expect(answer.priority(-5), "priority with credit -5"):to_equal("OVER")
end)

-- an I/O-bound domain (25 ms of work each second) next to a CPU hog
local io = domains({ {}, {} }, { lab.workload.busy(), lab.workload.cpu{ load = 0.025, period = "1 s" } })
check("a waking domain: BOOST", { number = "5", points = 2,
  hint = "A vCPU that wakes with credit left is BOOSTed and preempts a running vCPU at once." }, function()
  expect(answer.io_domain_ready, "M.io_domain_ready"):to_be_set()
  expect(answer.io_domain_ready, "%RDY of the I/O-bound domain", "%"):to_be_near(io[2].ready, 1)
end)

check("your weights and cap", { number = "6", points = 3,
  hint = "Weights divide contended CPU; only a cap holds a domain back when it is alone." }, function()
  expect(answer.gold, "M.gold"):to_be_set()
  expect(answer.bronze, "M.bronze"):to_be_set()
  local together = domains({ answer.gold, answer.bronze })
  local alone = domains({ answer.bronze })
  print(("gold got %.1f %% against bronze; bronze alone got %.1f %%"):format(together[1].run, alone[1].run))
  local right = 0
  if together[1].run >= 75 then right = right + 1 end
  if alone[1].run <= 20.5 then right = right + 1 end
  partial(right / 2)
  expect(together[1].run, "gold's share against bronze", "%"):to_be_at_least(75)
  expect(alone[1].run, "bronze alone", "%"):to_be_at_most(20.5)
end)
