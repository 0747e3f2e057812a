-- A scenario for `hyperlab top` tests: one over-committed host (three CPU-bound VMs and a
-- 2-vCPU VM on 2 pCPUs) for ten minutes, 30 frames.
local h = lab.host{ name = "esx01", cpus = 2, mhz = "2 GHz", memory = "16 GiB" }
for i = 1, 3 do
  local vm = h:create_vm{ name = "busy" .. i, vcpus = 1, memory = "2 GiB" }
  vm:power_on()
  vm:run(lab.workload.cpu{ threads = 1, load = 1 })
end
local smp = h:create_vm{ name = "smp", vcpus = 2, memory = "4 GiB" }
smp:power_on()
smp:run(lab.workload.cpu{ threads = 2, load = 0.5 })
lab.run_for("10 min")
