-- Lab 03 reference solution.
local M = {}

M.strict_six_six_run = 50         -- the two VMs alternate
M.strict_six_six_host_used = 75   -- 6 of 8 pCPUs busy at any time
M.strict_four_four_waiting = 0    -- 4 + 4 = 8: both always fit

M.strict_four_of_six_run = 50     -- strict still needs all 6 pCPUs at once: they alternate
M.relaxed_four_of_six_run = 100   -- idle vCPUs count as progress: 4 + 4 busy vCPUs fit

function M.fits_strict(pcpus, vcpus)
  local total = 0
  for _, n in ipairs(vcpus) do total = total + n end
  return total <= pcpus
end

function M.costop_alarm(costop_percent)
  return costop_percent > 3
end

M.vcpus_for_two_busy_threads = 2

return M
