-- Lab 19: changing a running VM. Fill in every answer, then, from the lab's folder, run
--   hyperlab check . --submission <this folder>
-- Units: a CPU speed is a number of MHz or a string such as "1.5 GHz" or "800 MHz".
local M = {}

-- The ESXi host: one 2 GHz pCPU, two busy 1-vCPU VMs, web and batch, normal shares.

-- 1. While they run, web's CPU shares are raised to High. The MHz each then uses:
M.web_mhz_high = nil
M.batch_mhz_high = nil

-- 2. Then batch gets a 400 MHz CPU limit. The MHz each uses while it is in force:
M.batch_mhz_limited = nil
M.web_mhz_limited = nil
--    The limit is removed again. Does batch "catches up" (make up the time it was held
--    back) or go on at "its share"? One of those two strings:
M.after_limit = nil
--    and the MHz batch uses in the 10 s after the limit goes:
M.batch_mhz_unlimited = nil

-- 3. Then web's CPU reservation is raised to 1.5 GHz, and batch's to 800 MHz.
M.batch_reservation_accepted = nil  -- is batch's 800 MHz accepted? true or false
M.unreserved_after = nil            -- the host's unreserved CPU after both attempts (a speed)
M.web_mhz_reserved = nil            -- the MHz web uses from then on (a speed)
M.config_changes = nil              -- how many vm.config events web and batch logged in all (a count)

-- 4. KVM (CFS scheduler), 8 idle pCPUs at 2 GHz; each VM has 4 vCPUs and 4 busy threads.
M.per_vcpu_quota_mhz = nil  -- cpu quota 25 ms per vCPU, period 100 ms (a speed)
M.global_quota_mhz = nil    -- global_quota 150 ms for the whole VM, period 100 ms (a speed)
M.bwc_example_mhz = nil     -- global_quota 1 s, period 500 ms (a speed)

-- 5. A VM with `vcpus` vCPUs runs `threads` busy threads on a CFS host with plenty of
--    idle pCPUs at `mhz` MHz. Its quota per vCPU is `quota_ms` and its quota for the whole
--    VM `global_ms`, both per period of `period_ms` (each nil when not set; KVM refuses a
--    quota above the period, and a VM-wide one above vcpus periods). Return the MHz it uses (a number, or a string such as
--    "1.2 GHz"). Graded on other cases too.
function M.vm_cpu_mhz(threads, vcpus, quota_ms, global_ms, period_ms, mhz)
  return nil
end

-- 6. Work on the host itself (host:run): `vms` busy 1-vCPU VMs with normal shares run beside
--    `host_threads` busy threads of the host's own processes, on a host with `pcpus` pCPUs
--    at `mhz` MHz and the scheduler `scheduler` ("esx" or "fair", SimGrid's sharing). Return
--    the MHz one of the VMs uses (a number, or a string such as "1.2 GHz"). Graded on other
--    cases too.
function M.vm_mhz_beside_host(scheduler, pcpus, mhz, vms, host_threads)
  return nil
end

-- 7. Xen (credit scheduler), one 2 GHz pCPU: a busy VM and an interactive one that works
--    2.5 ms every 50 ms. sched_ratelimit_us goes from 0 to 20 ms: does the interactive
--    VM's %RDY "rises" or "stays 0"? One of those two strings:
M.ratelimit_ready = nil

return M
