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

-- SimGrid's fair sharing (scheduler = "fair").
-- 8. A VM `wide` with 4 vCPUs and 4 busy threads, and a busy 1-vCPU VM `small`, on a fair
--    host of 2 cores at 2 GHz.
M.wide_powers_on_esx = nil  -- would wide power on on an ESXi host with 2 pCPUs? true or false
M.wide_share = nil          -- the fraction of the fair host's capacity wide uses (0 to 1, or "40%")
M.small_mhz = nil           -- the MHz small uses (a speed)
--    While both run, wide gets a 1 GHz limit (SimGrid's set_bound):
M.small_mhz_bounded = nil   -- the MHz small uses then (a speed)
M.idle_mhz_bounded = nil    -- the MHz of the host nobody uses then (a speed)

-- 9. A VM with `vcpus` vCPUs (more than the host's cores, or not) and `threads` busy
--    threads runs beside one busy 1-vCPU VM on a fair host of `cores` cores at `mhz` MHz;
--    `limit` is its limit in MHz, or nil. Return the MHz it uses (a number, or a string
--    such as "1.2 GHz"). Graded on other cases too.
function M.fair_vm_mhz(cores, mhz, vcpus, threads, limit)
  return nil
end

-- 10. A VM with `vcpus` vCPUs runs alone on a fair host of `cores` cores at `hz` Hz (not
--    MHz: slow hosts, down to 1 Hz), with `threads` batch threads running chunks of `work`
--    cycles back to back. Return how many chunks its threads have finished in all after
--    `seconds` seconds (w.completed; a whole number). Graded on other cases too.
function M.chunks_done(hz, cores, vcpus, threads, work, seconds)
  return nil
end

return M
