-- Lab 10: reservations, limits, shares and the idle memory tax. Fill in every answer,
-- then, from the lab's folder, run   hyperlab check . --submission <this folder>
-- Sizes: a number of bytes or a string such as "1.5 GiB" or "512 MiB" (KB/MB/GB are
-- binary). Ratios: a number such as 0.25, or a string such as "0.25" or "25%".
local M = {}

-- 1. A 4 GiB VM with a 2 GiB memory limit writes 3 GiB on a 64 GiB host that is
--    otherwise empty. Its consumed memory twenty minutes later (a size):
M.limited_consumed = nil

-- 2. An 8 GiB host runs db (6 GiB, 4 GiB reserved). Does app (6 GiB, 4 GiB reserved)
--    power on? true or false.
M.app_powers_on = nil

-- 3. Two 12 GiB VMs with equal shares on a 10 GiB host: one idle (no active memory),
--    one busy (all of its memory active). Return the ratio of their allocation targets,
--    idle ÷ busy, for an idle memory tax `tax` given as a fraction from 0 to 1
--    (Mem.IdleTax = 75 % by default, i.e. tax = 0.75). Graded on other settings too.
function M.target_ratio(tax)
  return 1
end

-- 4. Two 8 GiB VMs, shares "high" and "low", both fully active, compete for a 6 GiB
--    host. Ratio of their targets, high ÷ low (a number):
M.shares_ratio = nil

-- 5. An 8 GiB VM with a 6 GiB reservation on a host under heavy pressure. The most the
--    host can ever reclaim from it (balloon + compression + swap; a size):
M.guarded_max_reclaimed = nil

-- 6. Mem.SamplePeriod (h.reclaim.sample_period, 60 s by default): a VM's working set was
--    `before` for a long time and changes to `after` (both in bytes) just after a sample
--    was taken. Return what vm.memory.active shows `t` seconds later, when the host
--    samples every `period` seconds (a size: bytes or a string such as "1.5 GiB").
--    Graded on other sizes and periods too.
function M.active_estimate(before, after, t, period)
  return nil
end

-- 7. On a host short of memory, a VM's working set jumps (a burst), or its work stops (a
--    drop), just after a sample (period 60 s). How does its allocation target
--    (vm.memory.target) follow? One of "at once" (by the next balance period, before any
--    new sample), "after one sample" (nearly all the way at the first balance after the
--    next sample) or "over several samples":
M.target_after_burst = nil
M.target_after_drop = nil

return M
