-- Lab 27: isolation. Fill in every answer, then, from the lab's folder, run
--   hyperlab check . --submission <this folder>
-- Units: CPU as a number of CPUs (1.5 = one and a half CPUs).
-- Your functions must compute their answers from their arguments (no node of their own).
local M = {}

-- 1. A scenario is a table:
--      place = "node": `per` containers on one Linux node (no hypervisor);
--      place = "vm":   `vms` VMs on one host, `per` containers in each VM's guest;
--      event = "panic"   the kernel of the first container panics (node:panic() or vm.guest:panic()),
--              "crash"   the first VM crashes (vm:crash(); place = "vm" only),
--              "exploit" a kernel exploit runs from the first container (k:exploit{...}),
--      hypervisor_bug = true  a VENOM-like hypervisor bug is also modelled (exploit only).
--    Return two numbers: how many containers stopped, and how many were compromised.
function M.impact(scenario)
  return 1, 1
end

-- 2. Two CPU-bound containers with the default weight on an idle node of `cpus` CPUs: the
--    victim runs `victim_threads` busy threads, its neighbour `noisy_threads`, limited to
--    --cpus=`limit` (nil: no limit). How many CPUs does the victim get?
function M.victim_cpus(cpus, victim_threads, noisy_threads, limit)
  return victim_threads
end

-- 2b. Two disk-bound containers write to one datastore of `s.bandwidth` bytes/s: on one
--     Linux node (s.nodes = 1) or each on its own node, both nodes on that datastore
--     (s.nodes = 2). The victim asks `s.victim` bytes/s with the default io.weight (100);
--     its neighbour asks `s.noisy` with io.weight `s.weight` and, unless s.limit is nil,
--     --device-write-bps = `s.limit`. What write rate does the victim get?
--     Units: bytes/s as a number, or a string such as "120 MiB/s".
function M.victim_disk(s)
  return s.victim
end

-- 3. Why does an exploit of the guest kernel in one VM not reach the other VMs' containers
--    (without a hypervisor bug)? One letter:
--    "a" the other VMs' containers run with fewer privileges;
--    "b" each VM runs its own kernel; reaching another VM needs a hole in the hypervisor
--        or its device model, not only in a guest kernel;
--    "c" the exploit needs more memory than a VM has;
--    "d" containers inside VMs have no namespaces.
M.why = nil

return M
