-- Lab 03: co-scheduling. Fill in every answer, then, from the lab's folder, run
--   hyperlab check . --submission my-answer
-- (my-answer being your copy of this folder).
-- Percentages are numbers from 0 to 100, or strings such as "50%"; each is compared with
-- what esxtop's counters show, within 3 points.
local M = {}

-- A host with 8 pCPUs runs two VMs with 6 vCPUs each, all CPU-bound, under STRICT
-- co-scheduling (ESX 2.x).
M.strict_six_six_run = nil        -- 1. %RUN of each VM
M.strict_six_six_host_used = nil  -- 2. % of the host's CPU used

-- 3. The same host with two 4-vCPU VMs, all CPU-bound, strict: %RDY + %CSTP of each VM.
M.strict_four_four_waiting = nil

-- 4. Two 6-vCPU VMs whose guests keep only 4 vCPUs busy: %RUN of a busy vCPU under
--    strict co-scheduling, and under ESXi's relaxed co-scheduling.
M.strict_four_of_six_run = nil
M.relaxed_four_of_six_run = nil

-- 5. Under strict co-scheduling, can VMs with these vCPU counts all run at the same
--    time on a host with `pcpus` pCPUs? (`vcpus` is a list such as { 6, 6 }.) Return
--    true or false.
function M.fits_strict(pcpus, vcpus)
  return true
end

-- 6. Given a VM's %CSTP (a number from 0 to 100), should esxtop's co-stop alarm go off?
--    Return true or false.
function M.costop_alarm(costop_percent)
  return false
end

-- 7. A guest keeps two threads busy. How many vCPUs should its VM have? (a whole number)
M.vcpus_for_two_busy_threads = nil

return M
