-- Workload presets: common guest behaviours built from the primitive workloads.
local _, _ = ...
local workload = lab.workload

--- `threads` threads always busy.
function workload.busy(threads)
  return workload.cpu{ threads = threads or 1, load = 1 }
end

--- An idle guest's background activity (about 2 % of one vCPU).
function workload.idle()
  return workload.cpu{ threads = 1, load = 0.02 }
end
