-- The benchmark's lab for `hyperlab top` (bench/README.md): 100 VMs of 1-4 vCPUs on one
-- 32-pCPU host, CPU-bound at 30-90 % and touching memory, for an hour (180 frames).
local h = lab.host{ name = "esx01", cpus = 32, mhz = "2.4 GHz", memory = "512 GiB" }
for i = 1, 100 do
  local vcpus = 1 + (i - 1) % 4
  local vm = h:create_vm{ name = "vm" .. i, vcpus = vcpus, memory = "4 GiB" }
  vm:power_on()
  vm:run(lab.workload.cpu{ threads = vcpus, load = 0.3 + ((i - 1) % 7) / 10 })
  vm:run(lab.workload.memory{ size = "2 GiB", active = "1 GiB", rate = "64 MiB/s" })
end
lab.run_for("1 h")
