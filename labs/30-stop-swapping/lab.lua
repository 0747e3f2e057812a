-- Lab 30: stop the swapping. ESXi hosts swap guest memory: one is over-committed with
-- VMs that have no balloon driver, another enforces an old memory limit below a VM's
-- working set. The student's function is handed the running hosts and VMs and may take
-- the administrator's memory actions (vMotion, memory shares, reservations, limits); the
-- lab then runs the world on and grades what the hosts show: no host swapping out, what
-- the VMs use back in memory, nothing powered off.
lab.sample_interval("20 s")
local answer = lab.submission("answer.lua", { simulate = false })

local san = lab.datastore{ name = "SAN1", capacity = "8 TiB", kind = "san" }

-- What the student's function may do: vSphere's memory settings on a running VM and vMotion.
local allow = { "VM:migrate", "VMMemory.shares", "VMMemory.reservation", "VMMemory.limit" }

-- Hosts { memory } with 8 pCPUs on the SAN; VMs { name, host index, memory, in use,
-- tools, limit } running an application that keeps what it uses active and rewrites a
-- little of it. `tag` prefixes every name.
local function build(tag, spec)
  local hosts, vms = {}, {}
  for i, h in ipairs(spec.hosts) do
    hosts[i] = lab.host{ name = ("%sesx%02d"):format(tag, i), cpus = 8, memory = h[1], datastores = { san } }
  end
  for _, v in ipairs(spec.vms) do
    local vm = hosts[v[2]]:create_vm{ name = tag .. v[1], vcpus = 2, memory = v[3], tools = v[5],
                                      mem = v[6] and { limit = v[6] } or nil }
    vm:power_on()
    vm:run(lab.workload.memory{ size = v[4], dirty = "20 MB/s" })
    vms[#vms + 1] = vm
  end
  return hosts, vms
end

-- Hands the student's fix the running world, runs it on for four minutes and measures
-- the last two: each VM's swap rates (esxtop SWW/s, SWR/s), and each host's sums.
local function operate(hosts, vms)
  local log = lab.operate(answer.fix, { hosts = hosts, vms = vms }, { allow = allow })
  lab.run_for("2 min")
  local from = lab.now()
  lab.run_for("2 min")
  local seen = {}
  for _, vm in ipairs(vms) do
    seen[vm] = { out = lab.series(vm, "memory.swap_out_rate"):mean(from),
                 into = lab.series(vm, "memory.swap_in_rate"):mean(from) }
  end
  return log, seen
end

-- Swap-out under this is noise, not a host swapping (a few pages a second).
local quiet = 64 * 1024

-- The outcome checks' bodies on one scenario (lab.lua and hidden/ give them their names).
local function outcomes(hosts, vms, log, seen)
  local b = {}
  b.ran = function()
    lab.feedback("What your fix did:\n" .. log.text)
    expect(log.ok, "the fix ran to its end without an error"):to_be_true()
  end
  b.calm = function()
    local calm = 0
    for _, h in ipairs(hosts) do
      local out, into, lines = 0, 0, {}
      for _, vm in ipairs(vms) do
        if vm.host == h then
          local s = seen[vm]
          out, into = out + s.out, into + s.into
          if s.out >= quiet then
            lines[#lines + 1] = ("  %s: SWW/s %s/s, SWR/s %s/s, SWCUR %s, MEMSZ %s, SZTGT %s"):format(vm.name,
              lab.format.bytes(s.out), lab.format.bytes(s.into), lab.format.bytes(vm.memory.swapped),
              lab.format.bytes(vm.memory.configured), lab.format.bytes(vm.memory.target))
          end
        end
      end
      if out < quiet then
        calm = calm + 1
      else
        lab.feedback(("%s swaps out %s/s (in %s/s) with %s of %s free (state %s):\n%s"):format(h.name,
          lab.format.bytes(out), lab.format.bytes(into), lab.format.bytes(h.memory.free),
          lab.format.bytes(h.memory.capacity), h.memory.state, table.concat(lines, "\n")))
      end
    end
    expect(calm, "hosts not swapping out over the last two minutes", "count"):to_equal(#hosts)
  end
  b.back = function()
    local back = 0
    for _, vm in ipairs(vms) do
      local part = vm.memory.swapped / vm.memory.configured
      if part < 0.1 then
        back = back + 1
      else
        lab.feedback(("%s on %s: SWCUR %s of its %s (%.0f %%), SWR/s %s/s"):format(vm.name, vm.host.name,
          lab.format.bytes(vm.memory.swapped), lab.format.bytes(vm.memory.configured), 100 * part,
          lab.format.bytes(seen[vm].into)))
      end
    end
    expect(back, "VMs with less than 10 % of their memory swapped out at the end", "count"):to_equal(#vms)
  end
  b.on = function()
    local on = 0
    for _, vm in ipairs(vms) do
      if vm.state == "on" then on = on + 1 else lab.feedback(("%s is %s"):format(vm.name, vm.state)) end
    end
    expect(on, "VMs powered on", "count"):to_equal(#vms)
  end
  return b
end

-- The datacenter: esx01 holds more in use than it has, in VMs without VMware Tools (no
-- balloon); app01 on esx02 has an old limit below what it uses.
local hosts, vms = build("", { hosts = { { "16 GiB" }, { "32 GiB" } }, vms = {
  { "web01", 1, "6 GiB", "5 GiB", false }, { "web02", 1, "6 GiB", "5 GiB", false },
  { "db01", 1, "8 GiB", "7 GiB", false }, { "app01", 2, "8 GiB", "6 GiB", false, "3 GiB" },
  { "ci", 2, "4 GiB", "2 GiB", true } } })
lab.run_for("2 min")
for _, vm in ipairs(vms) do
  print(("before: %s on %s SWW/s %s"):format(vm.name, vm.host.name, lab.format.bytes(vm.memory.swap_out_rate)))
end
local log, seen = operate(hosts, vms)
print(log.text)
local b = outcomes(hosts, vms, log, seen)
check("your fix ran", { points = 1, reveal = "value" }, b.ran)
check("no host swapping", { points = 3, reveal = "value" }, b.calm)
check("what the VMs use is back in memory", { points = 1, reveal = "value" }, b.back)
check("nothing powered off", { points = 1, reveal = "value" }, b.on)

return { build = build, operate = operate, outcomes = outcomes }
