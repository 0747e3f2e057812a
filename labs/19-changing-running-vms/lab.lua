-- Lab 19: changing a running VM's CPU shares, limit and reservation on ESXi, CFS
-- bandwidth quotas (per vCPU and VM-wide) on KVM, and SimGrid's fair sharing (wide VMs, a
-- bound set on a running VM, slow hosts). Every number is measured on the simulated
-- hosts; the one fixed answer (question 2's choice) is compared by hash.
lab.sample_interval("2 s")
local answer = lab.submission("answer.lua", { simulate = false })

-- The mean MHz a VM used over the samples taken in (from, to].
local function mean_mhz(vm, from, to) return lab.series(vm, "cpu.used_mhz"):mean(from, to) end

-- What a student's value looks like in per-case feedback.
local function shown(v)
  if type(v) == "number" then return ("%.4g"):format(v) end
  if type(v) == "string" then return ("%q"):format(v) end
  return tostring(v)
end

-- A CPU speed returned by a student's function: MHz as a number, or a string such as
-- "1.2 GHz"; nil when it is neither.
local function mhz_of(v)
  if type(v) == "number" then return v end
  if type(v) ~= "string" then return nil end
  local ok, m = pcall(lab.mhz, v)
  if ok then return m end
  return tonumber(v)
end

-- A yes-or-no answer: a boolean, or the string "true" or "false".
local function boolean_of(v)
  if v == "true" then return true end
  if v == "false" then return false end
  return v
end

---------------------------------------------------------------------------------------
-- One ESXi host, one 2 GHz pCPU, two busy 1-vCPU VMs with normal shares. The
-- administrator changes them while they run, one step every 10 s.
local esx = lab.host{ name = "esx1", cpus = 1, mhz = "2 GHz", memory = "16 GiB" }
local web = esx:create_vm{ name = "web", vcpus = 1, memory = "1 GiB" }
local batch = esx:create_vm{ name = "batch", vcpus = 1, memory = "1 GiB" }
for _, vm in ipairs({ web, batch }) do
  vm:power_on()
  vm:run(lab.workload.cpu{ threads = 1, load = 1 })
end
local steps = {}
local function step(name)
  local from = lab.now()
  lab.run_for("10 s")
  steps[name] = { web = mean_mhz(web, from, lab.now()), batch = mean_mhz(batch, from, lab.now()) }
end
step("equal")
web.cpu.shares = "high"                 -- 1. Edit Settings: web's shares to High
step("high")
batch.cpu.limit = 400                   -- 2. a 400 MHz limit on batch ...
step("limited")
batch.cpu.limit = nil                   --    ... removed again
step("unlimited")
web.cpu.reservation = 1500              -- 3. web reserves 1.5 GHz (it fits) ...
local accepted = pcall(function() batch.cpu.reservation = 800 end)  -- ... then batch asks for 800 MHz
local unreserved = esx.cpu.unreserved
step("reserved")
local config_changes = #lab.events{ kind = "vm.config", subject = web } + #lab.events{ kind = "vm.config", subject = batch }
for name, s in pairs(steps) do print(("%-9s web %4.0f MHz, batch %4.0f MHz"):format(name, s.web, s.batch)) end
print(("batch's 800 MHz reservation accepted: %s; unreserved %s; %d vm.config events"):format(
  tostring(accepted), lab.format.mhz(unreserved), config_changes))
web:power_off(); batch:power_off()

check("raising shares on a running VM", { number = "1", points = 2, reveal = "direction",
  hint = "The change takes effect at once and the pCPU is still contended: how do the two VMs' shares "
      .. "compare now, and how does that split the one pCPU?" }, function()
  expect(lab.answer(answer, "web_mhz_high", "MHz"), "M.web_mhz_high", "MHz"):to_be_near(steps.high.web, "2%")
  expect(lab.answer(answer, "batch_mhz_high", "MHz"), "M.batch_mhz_high", "MHz"):to_be_near(steps.high.batch, "2%")
end)

check("a limit set and removed", { number = "2", points = 3, reveal = "direction",
  hint = "While batch is limited, who gets the MHz it may not use? When the limit goes, does the scheduler "
      .. "remember the time batch was held back, or does it look only at the shares from now on?" }, function()
  expect(lab.answer(answer, "batch_mhz_limited", "MHz"), "M.batch_mhz_limited", "MHz")
    :to_be_near(steps.limited.batch, "2%")
  expect(lab.answer(answer, "web_mhz_limited", "MHz"), "M.web_mhz_limited", "MHz")
    :to_be_near(steps.limited.web, "2%")
  local choice = lab.answer(answer, "after_limit")
  expect(type(choice), "M.after_limit (\"catches up\" or \"its share\"); its type"):to_equal("string")
  expect(choice:lower():gsub("^%s+", ""):gsub("%s+$", ""), "M.after_limit")
    :to_hash("sha256:1f5af0c90e3cb3ba84d915accb20f7719a93b7da91a697043182612321b5c29a")
  expect(lab.answer(answer, "batch_mhz_unlimited", "MHz"), "M.batch_mhz_unlimited", "MHz")
    :to_be_near(steps.unlimited.batch, "2%")
end)

-- one count, so a wrong yes-or-no answer is not singled out
check("a reservation raised while running", { number = "3", points = 3, reveal = "value",
  hint = "Admission control compares a new reservation with what the host has left unreserved; a refused "
      .. "change changes nothing (and is not a configuration change). A reservation is a floor: what does "
      .. "web get now if its shares alone would give it less?" }, function()
  local right, wrong = 0, {}
  local said = boolean_of(lab.answer(answer, "batch_reservation_accepted"))
  -- a yes-or-no answer named as wrong would give the right one away: only the count tells
  if said == accepted then right = right + 1 end
  local function near(name, truth, unit, tol)
    local v = lab.answer(answer, name, unit)
    if math.abs(v - truth) <= tol then right = right + 1; return end
    wrong[#wrong + 1] = ("M.%s (%s)"):format(name, v > truth and "too high" or "too low")
  end
  near("unreserved_after", unreserved, "MHz", 20)
  near("web_mhz_reserved", steps.reserved.web, "MHz", 0.02 * steps.reserved.web)
  near("config_changes", config_changes, nil, 0)
  if #wrong > 0 then lab.feedback("not right yet: " .. table.concat(wrong, ", ")) end
  if type(said) ~= "boolean" then lab.feedback("M.batch_reservation_accepted should be true or false") end
  partial(right / 4)
  expect(right, "answers right", "count"):to_equal(4)
end)

---------------------------------------------------------------------------------------
-- KVM hosts (CFS) with 8 idle pCPUs at `mhz`: one VM per case, all run together.
-- A case is { threads, vcpus, quota_ms, global_ms, period_ms, mhz } (quota_ms and
-- global_ms nil when not set). Returns the MHz each VM used.
local kvm_hosts = 0
local function simulate(cases, prefix)
  local vms = {}
  for i, c in ipairs(cases) do
    kvm_hosts = kvm_hosts + 1
    local h = lab.host{ name = (prefix or "kvm") .. kvm_hosts, cpus = 8, mhz = c[6], memory = "16 GiB",
                        scheduler = "cfs" }
    h.scheduler.period = c[5] / 1000
    local cpu = {}
    if c[3] then cpu.quota = c[3] / 1000 end
    if c[4] then cpu.global_quota = c[4] / 1000 end
    vms[i] = h:create_vm{ name = h.name .. "-vm", vcpus = c[2], memory = "1 GiB", cpu = cpu }
    vms[i]:power_on()
    vms[i]:run(lab.workload.cpu{ threads = c[1], load = 1 })
  end
  local from = lab.now()
  lab.run_for("2 s")
  local out = {}
  for i, vm in ipairs(vms) do
    out[i] = mean_mhz(vm, from, lab.now())
    vm:power_off()
  end
  return out
end

local function call_text(c)
  local function ms(x) return x and tostring(x) or "nil" end
  return ("vm_cpu_mhz(%d, %d, %s, %s, %d, %d)"):format(c[1], c[2], ms(c[3]), ms(c[4]), c[5], c[6])
end

-- Runs a student's function on cases and compares each result with what the host
-- measured; returns how many were right. `spec` gives the call (`args`, `text`), how to
-- read a result (`read`, nil when it is not a value of the kind asked), whether it is
-- right (`right`), how to show it (`show`), what the kind is called (`kind`) and the
-- measured values (`measured`); `truth` (optional) words a measured value for the
-- instructor's line. `tell` false: instructor prints only (hidden checks).
local function judge_cases(fn, cases, spec, tell)
  local right = 0
  local truth = spec.truth or function(v) return "the host gave " .. spec.show(v) end
  for i, c in ipairs(cases) do
    local ok, got = pcall(fn, spec.args(c))
    local v = ok and spec.read(got) or nil
    if v ~= nil and spec.right(v, spec.measured[i]) then
      right = right + 1
    else
      print(("%s: %s, the submission said %s"):format(spec.text(c), truth(spec.measured[i]), tostring(got)))
      if tell then
        -- one message for an error, and one per value of the wrong kind, not one per case
        if not ok then
          lab.feedback_once("failed", ("%s failed: %s"):format(spec.text(c), tostring(got)))
        elseif v == nil then
          lab.feedback_once(shown(got), ("%s returned %s, which is not %s"):format(spec.text(c), shown(got), spec.kind))
        else
          lab.feedback(("%s returned %s, which is %s"):format(spec.text(c), spec.show(v),
            v > spec.measured[i] and "too high" or "too low"))
        end
      end
    end
  end
  return right
end

-- judge_cases for a function that returns a CPU speed: right within 2 % (20 MHz at the
-- least) of what the host measured.
local function judge_mhz(fn, cases, spec, tell)
  spec.read, spec.show = mhz_of, lab.format.mhz
  spec.right = function(v, truth) return math.abs(v - truth) <= math.max(20, 0.02 * truth) end
  spec.kind = "a CPU speed (give MHz or a string such as \"1.5 GHz\")"
  return judge_cases(fn, cases, spec, tell)
end

-- Runs a student's vm_cpu_mhz on the cases; returns how many it got within 2 %.
-- `tell` false: instructor prints only (hidden checks).
local function judge(fn, cases, tell)
  return judge_mhz(fn, cases, {
    measured = simulate(cases, tell and "kvm" or "h-kvm"),
    args = function(c) return c[1], c[2], c[3], c[4], c[5], c[6] end,
    text = call_text,
    truth = function(v) return ("the host used %.0f MHz"):format(v) end,
  }, tell)
end

-- 4. The three KVM VMs of the handout: 4 vCPUs, 4 busy threads each, 2 GHz pCPUs.
local kvm_cases = {
  per_vcpu = { 4, 4, 25, nil, 100, 2000 },
  vm_wide = { 4, 4, nil, 150, 100, 2000 },
  bwc_example = { 4, 4, nil, 1000, 500, 2000 },
}
local kvm_measured = simulate({ kvm_cases.per_vcpu, kvm_cases.vm_wide, kvm_cases.bwc_example })
print(("KVM: per-vCPU quota %.0f MHz, global quota %.0f MHz, sched-bwc example %.0f MHz"):format(
  kvm_measured[1], kvm_measured[2], kvm_measured[3]))

check("KVM: a quota per vCPU against one for the whole VM", { number = "4", points = 3, reveal = "direction",
  hint = "cpu_quota bounds each vCPU's thread every period, global_quota all the VM's vCPUs together. "
      .. "How many CPUs' worth of time does each allow per period?" }, function()
  expect(lab.answer(answer, "per_vcpu_quota_mhz", "MHz"), "M.per_vcpu_quota_mhz", "MHz")
    :to_be_near(kvm_measured[1], "2%")
  expect(lab.answer(answer, "global_quota_mhz", "MHz"), "M.global_quota_mhz", "MHz")
    :to_be_near(kvm_measured[2], "2%")
  expect(lab.answer(answer, "bwc_example_mhz", "MHz"), "M.bwc_example_mhz", "MHz")
    :to_be_near(kvm_measured[3], "2%")
end)

check("vm_cpu_mhz(threads, vcpus, quota_ms, global_ms, period_ms, mhz)", { number = "5", points = 4,
  reveal = "value",
  hint = "First ask what the busy threads could use with no quota at all (a thread runs on one vCPU at a "
      .. "time). Then ask what each kind of quota allows in one period. Every bound that is set holds." },
  function()
  local fn = lab.answer(answer, "vm_cpu_mhz")
  expect(type(fn), "M.vm_cpu_mhz should be a function; its type"):to_equal("function")
  local cases = {
    { 4, 4, 50, nil, 100, 2000 },
    { 4, 4, nil, 250, 100, 2000 },
    { 2, 4, 30, nil, 100, 2000 },
    { 4, 4, 40, 120, 100, 2000 },
    { 6, 4, nil, nil, 100, 2000 },
  }
  local right = judge(fn, cases, true)
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)

---------------------------------------------------------------------------------------
-- 6. Work on the host itself (host:run): busy 1-vCPU VMs with normal shares beside the
-- host's own busy threads. A case is { scheduler, pcpus, mhz, vms, host_threads }.
-- Returns the MHz the first VM used, measured after the host work has settled.
local work_hosts = 0
local function simulate_host_work(cases, prefix)
  local out = {}
  for i, c in ipairs(cases) do
    work_hosts = work_hosts + 1
    local h = lab.host{ name = (prefix or "own") .. work_hosts, cpus = c[2], mhz = c[3], memory = "16 GiB",
                        scheduler = c[1] }
    local vms = {}
    for j = 1, c[4] do
      vms[j] = h:create_vm{ name = h.name .. "-vm" .. j, vcpus = 1, memory = "1 GiB" }
      vms[j]:power_on()
      vms[j]:run(lab.workload.cpu{ threads = 1, load = 1 })
    end
    local work = h:run(lab.workload.cpu{ threads = c[5], load = 1 })
    lab.run_for("2 s")
    local from = lab.now()
    lab.run_for("4 s")
    out[i] = mean_mhz(vms[1], from, lab.now())
    h:stop(work)
    for _, vm in ipairs(vms) do vm:power_off() end
  end
  return out
end

local function host_call_text(c)
  return ("vm_mhz_beside_host(%q, %d, %d, %d, %d)"):format(c[1], c[2], c[3], c[4], c[5])
end

-- Runs a student's vm_mhz_beside_host on the cases; returns how many it got within 2 %.
-- `tell` false: instructor prints only (hidden checks).
local function judge_host_work(fn, cases, tell)
  return judge_mhz(fn, cases, {
    measured = simulate_host_work(cases, tell and "own" or "h-own"),
    args = function(c) return c[1], c[2], c[3], c[4], c[5] end,
    text = host_call_text,
    truth = function(v) return ("the VM used %.0f MHz"):format(v) end,
  }, tell)
end

check("vm_mhz_beside_host: work on the host itself", { number = "6", points = 2, reveal = "value",
  hint = "On ESXi the host's own processes run with a host OS's priority over the VMs' vCPUs; the fair "
      .. "scheduler (SimGrid's sharing) gives each busy thread on the host a weight like a VM's. What is left "
      .. "for the VMs, and how do they split it? A 1-vCPU VM never uses more than one pCPU." }, function()
  local fn = lab.answer(answer, "vm_mhz_beside_host")
  expect(type(fn), "M.vm_mhz_beside_host should be a function; its type"):to_equal("function")
  local cases = {
    { "esx", 2, 2000, 2, 1 },
    { "esx", 4, 2400, 3, 2 },
    { "fair", 2, 2000, 2, 1 },
    { "fair", 4, 2400, 3, 2 },
  }
  local right = judge_host_work(fn, cases, true)
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)

---------------------------------------------------------------------------------------
-- 7. Xen credit's rate limit: a busy VM and an interactive one (2.5 ms of work every
-- 50 ms) on one 2 GHz pCPU, with sched_ratelimit_us at 0 and then at 20 ms.
local function interactive_ready(ratelimit_s, tag)
  local h = lab.host{ name = "xen-" .. tag, cpus = 1, mhz = "2 GHz", memory = "16 GiB", scheduler = "credit" }
  h.scheduler.ratelimit = ratelimit_s
  local busy = h:create_vm{ name = h.name .. "-busy", vcpus = 1, memory = "1 GiB" }
  local inter = h:create_vm{ name = h.name .. "-interactive", vcpus = 1, memory = "1 GiB" }
  busy:power_on(); inter:power_on()
  busy:run(lab.workload.cpu{ threads = 1, load = 1 })
  inter:run(lab.workload.cpu{ threads = 1, load = 0.05, period = "50 ms" })
  local from = lab.now()
  lab.run_for("6 s")
  local ready = lab.series(inter, "cpu.ready"):mean(from)
  busy:power_off(); inter:power_off()
  return ready
end
local ready_rl0 = interactive_ready(0, "rl0")
local ready_rl20 = interactive_ready(0.02, "rl20")
local ready_choice = ready_rl20 > ready_rl0 + 1 and "rises" or "stays 0"
print(("Xen credit: the interactive VM's %%RDY %.2f %% with ratelimit 0, %.2f %% with 20 ms (%s)"):format(
  ready_rl0, ready_rl20, ready_choice))
if lab.hash(ready_choice) ~= "sha256:e3d1277adcd760abb052fc40694d9f3d20adc4cc5912590daf95ca4aa4b54416" then
  print("WARNING: the model's answer to 7 no longer matches the hash in check 7")
end

-- only the direction is asked: how much %RDY the wait adds depends on when each wake-up
-- falls against the 10 ms tick, which no first-principles reasoning gives
check("Xen credit: the rate limit and an interactive VM", { number = "7", points = 1,
  hint = "A waking interactive vCPU is BOOSTed and may preempt the busy one at once, unless the rate limit "
      .. "makes the running vCPU keep its pCPU for a while first. What happens each time it wakes?" }, function()
  local choice = lab.answer(answer, "ratelimit_ready")
  expect(type(choice) == "string", "M.ratelimit_ready is \"rises\" or \"stays 0\""):to_be_true()
  expect(choice:lower():match("^%s*(.-)%s*$"), "M.ratelimit_ready")
    :to_hash("sha256:e3d1277adcd760abb052fc40694d9f3d20adc4cc5912590daf95ca4aa4b54416")
end)

---------------------------------------------------------------------------------------
-- 8-10. SimGrid's fair sharing (scheduler = "fair"): VMs with more vCPUs than the host has
-- cores, a bound set on a running VM (SimGrid's set_bound, vSphere's limit), and hosts
-- slower than 100 MHz, where work is counted in whole chunks of cycles.

-- A VM with `vcpus` vCPUs and `threads` busy threads beside one busy 1-vCPU VM on a fair
-- host of `cores` cores at `mhz`; `limit` (MHz or nil) is set on the first VM while both
-- run. A case is { cores, mhz, vcpus, threads, limit }. Returns the host, both VMs and
-- the MHz each used, measured after the change has settled.
local fair_hosts = 0
local function fair_pair(c, prefix)
  fair_hosts = fair_hosts + 1
  local h = lab.host{ name = (prefix or "fair") .. fair_hosts, cpus = c[1], mhz = c[2], memory = "16 GiB",
                      scheduler = "fair" }
  local vm = h:create_vm{ name = h.name .. "-wide", vcpus = c[3], memory = "1 GiB" }
  local other = h:create_vm{ name = h.name .. "-small", vcpus = 1, memory = "1 GiB" }
  vm:power_on(); other:power_on()
  vm:run(lab.workload.cpu{ threads = c[4], load = 1 })
  other:run(lab.workload.cpu{ threads = 1, load = 1 })
  lab.run_for("2 s")
  local out = {}
  local from = lab.now()
  lab.run_for("4 s")
  out.vm, out.other = mean_mhz(vm, from, lab.now()), mean_mhz(other, from, lab.now())
  if c[5] then
    vm.cpu.limit = c[5]                   -- SimGrid's set_bound on a running VM
    lab.run_for("2 s")
    from = lab.now()
    lab.run_for("4 s")
    out.vm_bounded, out.other_bounded = mean_mhz(vm, from, lab.now()), mean_mhz(other, from, lab.now())
  end
  return h, vm, other, out
end

-- 8. The handout's scenario: a 4-vCPU VM with 4 busy threads beside a busy 1-vCPU VM on a
-- fair host of 2 cores at 2 GHz; then a 1 GHz limit on the wide VM while both run. The
-- same VM on an ESXi host with 2 pCPUs.
local wide_host, wide_vm, small_vm, wide = fair_pair({ 2, 2000, 4, 4, 1000 })
wide_vm:power_off(); small_vm:power_off()
local esx_wide_host = lab.host{ name = "esx-wide", cpus = 2, mhz = "2 GHz", memory = "16 GiB" }
local esx_wide = esx_wide_host:create_vm{ name = "esx-wide-vm", vcpus = 4, memory = "1 GiB" }
local wide_on_esx = pcall(esx_wide.power_on, esx_wide)
if wide_on_esx then esx_wide:power_off() end
local wide_truth = {
  share = wide.vm / wide_host.cpu.capacity,
  small = wide.other,
  small_bounded = wide.other_bounded,
  idle_bounded = wide_host.cpu.capacity - wide.vm_bounded - wide.other_bounded,
}
print(("wide VM: powers on on ESXi %s; fair: %.1f %% of the host, small %.0f MHz; with the wide VM bounded "
  .. "to 1 GHz: small %.0f MHz, %.0f MHz idle"):format(tostring(wide_on_esx), 100 * wide_truth.share,
  wide_truth.small, wide_truth.small_bounded, wide_truth.idle_bounded))

-- one count, so a wrong yes-or-no answer is not singled out
check("a wide VM under SimGrid's fair sharing", { number = "8", points = 3, reveal = "value",
  hint = "What does ESXi's admission control compare a VM's vCPUs with at power-on? Under fair sharing, how "
      .. "many cores' worth can each VM use at once, and how are the cores split between flows that want more "
      .. "than their share? Once a bound holds the wide VM back, what is the most a 1-vCPU VM can take?" },
  function()
  local right, wrong = 0, {}
  local said = boolean_of(lab.answer(answer, "wide_powers_on_esx"))
  if said == wide_on_esx then right = right + 1 end
  local function near(name, truth, unit, tol)
    local v = lab.answer(answer, name, unit)
    if math.abs(v - truth) <= tol then right = right + 1; return end
    wrong[#wrong + 1] = ("M.%s (%s)"):format(name, v > truth and "too high" or "too low")
  end
  near("wide_share", wide_truth.share, "fraction", 0.01)
  near("small_mhz", wide_truth.small, "MHz", 20)
  near("small_mhz_bounded", wide_truth.small_bounded, "MHz", 20)
  near("idle_mhz_bounded", wide_truth.idle_bounded, "MHz", 20)
  if #wrong > 0 then lab.feedback("not right yet: " .. table.concat(wrong, ", ")) end
  if type(said) ~= "boolean" then lab.feedback("M.wide_powers_on_esx should be true or false") end
  partial(right / 5)
  expect(right, "answers right", "count"):to_equal(5)
end)

-- 9. fair_vm_mhz(cores, mhz, vcpus, threads, limit): the first VM's MHz in fair_pair.
local function judge_fair_pairs(fn, cases, tell)
  local measured = {}
  for i, c in ipairs(cases) do
    local _, vm, other, out = fair_pair(c, not tell and "h-fair" or nil)
    measured[i] = c[5] and out.vm_bounded or out.vm
    vm:power_off(); other:power_off()
  end
  return judge_mhz(fn, cases, {
    measured = measured,
    args = function(c) return c[1], c[2], c[3], c[4], c[5] end,
    text = function(c)
      return ("fair_vm_mhz(%d, %d, %d, %d, %s)"):format(c[1], c[2], c[3], c[4], c[5] and tostring(c[5]) or "nil")
    end,
  }, tell)
end

check("fair_vm_mhz(cores, mhz, vcpus, threads, limit)", { number = "9", points = 2, reveal = "value",
  hint = "Share the host's MHz between the two VMs in proportion to their weights; a VM that cannot use its "
      .. "share (its cores' worth, or its limit) keeps only what it can use, and the rest goes to the other, "
      .. "which has bounds of its own." }, function()
  local fn = lab.answer(answer, "fair_vm_mhz", "function")
  local cases = {
    { 1, 2000, 2, 2, nil },
    { 2, 2000, 4, 3, nil },
    { 4, 2400, 6, 2, nil },
    { 2, 3000, 3, 8, 1500 },
  }
  local right = judge_fair_pairs(fn, cases, true)
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)

-- 10. A VM alone on a fair host of `cores` cores at `hz` Hz runs `threads` batch threads
-- of chunks of `work` cycles. A case is { hz, cores, vcpus, threads, work, seconds };
-- every case runs at once, each on its own host. Returns w.completed after `seconds`.
local slow_hosts = 0
local function chunks(cases, prefix)
  local runs = {}
  for i, c in ipairs(cases) do
    slow_hosts = slow_hosts + 1
    local h = lab.host{ name = (prefix or "slow") .. slow_hosts, cpus = c[2], mhz = c[1] / 1e6, memory = "16 GiB",
                        scheduler = "fair" }
    local vm = h:create_vm{ name = h.name .. "-vm", vcpus = c[3], memory = "1 GiB" }
    vm:power_on()
    runs[i] = { vm = vm, w = vm:run(lab.workload.batch{ threads = c[4], work = c[5] }), at = c[6] }
  end
  local t0 = lab.now()
  local order = {}
  for i in ipairs(runs) do order[i] = i end
  table.sort(order, function(a, b) return runs[a].at < runs[b].at end)
  local out = {}
  for _, i in ipairs(order) do
    lab.run_for(t0 + runs[i].at - lab.now())
    out[i] = runs[i].w.completed
    runs[i].vm:power_off()
  end
  return out
end

-- A whole number of chunks from a student's function: a number or a numeric string.
local function count_of(v)
  local n = type(v) == "string" and tonumber((v:gsub("^%s*(.-)%s*$", "%1"))) or v
  if type(n) ~= "number" or n ~= n or n ~= math.floor(n) then return nil end
  return n
end

local function judge_chunks(fn, cases, tell)
  return judge_cases(fn, cases, {
    measured = chunks(cases, not tell and "h-slow" or nil),
    args = function(c) return c[1], c[2], c[3], c[4], c[5], c[6] end,
    text = function(c) return ("chunks_done(%g, %d, %d, %d, %d, %g)"):format(c[1], c[2], c[3], c[4], c[5], c[6]) end,
    read = count_of,
    right = function(v, truth) return v == truth end,
    show = function(v) return ("%d chunks"):format(v) end,
    kind = "a whole number of chunks",
  }, tell)
end

check("chunks_done(hz, cores, vcpus, threads, work, seconds) on slow hosts", { number = "10", points = 3,
  reveal = "value",
  hint = "How many cycles per second does the VM get, and how does it split them between its threads? A "
      .. "chunk counts only once every one of its cycles has run on the thread that runs it." }, function()
  local fn = lab.answer(answer, "chunks_done", "function")
  local cases = {
    { 1000, 1, 2, 3, 1000, 10 },
    { 10000, 2, 4, 3, 1500, 10 },
    { 1, 1, 1, 1, 1000, 2500 },
    { 300, 1, 4, 4, 1000, 50 },
  }
  local right = judge_chunks(fn, cases, true)
  partial(right / #cases)
  expect(right, "cases answered right", "count"):to_equal(#cases)
end)

return { simulate = simulate, judge = judge, mhz_of = mhz_of, judge_host_work = judge_host_work,
         judge_fair_pairs = judge_fair_pairs, judge_chunks = judge_chunks }
