-- Lab 29: fix the ready time. Over-committed ESXi hosts make their VMs wait for a pCPU
-- (%RDY); the student's function is handed the running hosts and VMs and may take the
-- administrator's CPU actions (vMotion, shares, reservations, limits). The lab then runs
-- the world on and grades what the hosts show: every VM's %RDY under 5 %, nothing
-- powered off, the work still done.
lab.sample_interval("20 s")
local answer = lab.submission("answer.lua", { simulate = false })

local san = lab.datastore{ name = "SAN1", capacity = "8 TiB", kind = "san" }

-- What the student's function may do: vSphere's CPU settings on a running VM and vMotion.
local allow = { "VM:migrate", "VMCPU.shares", "VMCPU.reservation", "VMCPU.limit" }

-- Hosts { cpus } at 2 GHz on the SAN; VMs { name, host index, vCPUs, load, limit } running
-- CPU-bound guests. `tag` prefixes every name.
local function build(tag, spec)
  local hosts, vms = {}, {}
  for i, h in ipairs(spec.hosts) do
    hosts[i] = lab.host{ name = ("%sesx%02d"):format(tag, i), cpus = h[1], mhz = "2 GHz", memory = "128 GiB",
                         datastores = { san } }
  end
  for _, v in ipairs(spec.vms) do
    local vm = hosts[v[2]]:create_vm{ name = tag .. v[1], vcpus = v[3], memory = "4 GiB",
                                      cpu = v[5] and { limit = v[5] } or nil }
    vm:power_on()
    vm:run(lab.workload.cpu{ threads = v[3], load = v[4] })
    vms[#vms + 1] = vm
  end
  return hosts, vms
end

-- Hands the student's fix the running world, then runs it on for four minutes (vMotions
-- finish in seconds) and measures the last two. Returns the action log and, per VM, what
-- esxtop would show over that window.
local function operate(hosts, vms)
  local log = lab.operate(answer.fix, { hosts = hosts, vms = vms }, { allow = allow })
  lab.run_for("2 min")
  local from = lab.now()
  lab.run_for("2 min")
  local seen = {}
  for _, vm in ipairs(vms) do
    local function mean(metric) return lab.series(vm, metric):mean(from) end
    seen[vm] = { ready = mean("cpu.ready"), costop = mean("cpu.costop"), limited = mean("cpu.limited"),
                 used = mean("cpu.used_mhz") }
  end
  return log, seen
end

-- What a host showed: the vCPUs of its powered-on VMs against its pCPUs.
local function host_line(h)
  local vcpus = 0
  for _, vm in ipairs(h.vms) do
    if vm.state == "on" then vcpus = vcpus + vm.vcpus end
  end
  return ("%s runs %d vCPUs of powered-on VMs on %d pCPUs"):format(h.name, vcpus, h.cpus)
end

-- The outcome checks' bodies on one scenario (lab.lua and hidden/ give them their names).
local function outcomes(vms, log, seen)
  local b = {}
  b.ran = function()
    lab.feedback("What your fix did:\n" .. log.text)
    expect(log.ok, "the fix ran to its end without an error"):to_be_true()
  end
  b.ready = function()
    local under = 0
    for _, vm in ipairs(vms) do
      local s = seen[vm]
      if s.ready < 5 then
        under = under + 1
      else
        lab.feedback(("%s on %s: %%RDY %.1f %% (%%MLMTD %.1f %%, %%CSTP %.1f %%); %s"):format(
          vm.name, vm.host.name, s.ready, s.limited, s.costop, host_line(vm.host)))
      end
    end
    expect(under, "VMs with %RDY under 5 % over the last two minutes", "count"):to_equal(#vms)
  end
  b.running = function()
    local running = 0
    for _, vm in ipairs(vms) do
      if vm.state == "on" and seen[vm].used > 0 then
        running = running + 1
      else
        lab.feedback(("%s is %s and used %.0f MHz"):format(vm.name, vm.state, seen[vm].used))
      end
    end
    expect(running, "VMs powered on and running their work", "count"):to_equal(#vms)
  end
  return b
end

-- The datacenter: esx01 is over-committed, app01 on esx02 carries an old CPU limit, and
-- esx03 has room.
local hosts, vms = build("", { hosts = { { 4 }, { 4 }, { 8 } }, vms = {
  { "web01", 1, 2, 1 }, { "web02", 1, 2, 1 }, { "batch01", 1, 2, 1 }, { "mail", 1, 1, 1 },
  { "db01", 2, 2, 1 }, { "app01", 2, 1, 1, "1 GHz" }, { "ci", 3, 2, 0.5 } } })
lab.run_for("2 min")
for _, vm in ipairs(vms) do
  print(("before: %s on %s %%RDY %.1f"):format(vm.name, vm.host.name, vm.cpu.ready))
end
local log, seen = operate(hosts, vms)
print(log.text)
local b = outcomes(vms, log, seen)
check("your fix ran", { points = 1, reveal = "value" }, b.ran)
check("every VM's %RDY under 5 %", { points = 3, reveal = "value" }, b.ready)
check("nothing powered off, the work still done", { points = 1, reveal = "value" }, b.running)

return { build = build, operate = operate, outcomes = outcomes }
