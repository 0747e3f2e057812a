-- Lab 25: cgroup limits. Fill in every answer, then, from the lab's folder, run
--   hyperlab check . --submission <this folder>
-- Units: CPU as a number of CPUs (1.5 = one and a half CPUs) or a percentage string of one
-- CPU ("150%"); sizes as a number of bytes or a string such as "88 MiB"; times in µs.
-- Your functions must compute their answers from their arguments (no node of their own).
local M = {}

-- 1. CPU-bound containers on an otherwise idle Linux node with `cpus` CPUs (cgroup v2):
--    container i has cpu.weight `weights[i]` and `threads[i]` busy threads, no quota.
--    Return a table with the CPUs each container uses, in the same order.
function M.cpu_share(weights, threads, cpus)
  local out = {}
  for i = 1, #weights do out[i] = cpus / #weights end
  return out
end

-- 2. One container alone on an idle node with `cpus` CPUs, cpu.max = "`quota` `period`"
--    (µs), running `threads` busy threads. Return two values: the CPUs it uses on
--    average, and its throttled time per period in µs (cpu.stat throttled_usec ÷ nr_periods).
function M.quota(quota, period, threads, cpus)
  return math.min(threads, cpus), 0
end

-- 3. docker run --memory `memory` [--memory-swap `memory_swap`] (nil = not given, -1 =
--    unlimited; sizes in bytes) on a node with plenty of swap; the container allocates
--    `allocate` bytes. Return its state ("running" or "oom-killed") and, if it runs, the
--    bytes it has in swap (0 if none).
function M.memory_outcome(memory, memory_swap, allocate)
  return "running", 0
end

-- 4. A VM configured with 1 GiB and a memory limit of 512 MiB; its guest touches 600 MiB.
--    Ten minutes later, what is vm.state ("on", "off", "suspended" or "paused")?
M.vm_state = nil

-- 5. Why is the container of question 3 (--memory 512m --memory-swap 512m, 600 MiB)
--    killed while the VM of question 4 keeps running? One letter:
--    "a" a VM's limit is only a hint, ignored while the host has free memory;
--    "b" Docker kills a container that passes its limit even when swap is allowed;
--    "c" a cgroup limit is enforced by the kernel the processes run on, which must kill
--        when it cannot reclaim; a VM's limit is enforced by the hypervisor from outside
--        the guest, which balloons, compresses or swaps the excess;
--    "d" the VM's guest has its own OOM killer, which is disabled by default.
M.why = nil

return M
